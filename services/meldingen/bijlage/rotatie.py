"""Key rotation of attachment content: every segment re-encrypted under the ring's first key.

One attachment per transaction: its segments and its key id change together, so a crash
leaves each attachment wholly under one key. Segments are read one at a time.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.meldingen.bijlage import repository
from services.meldingen.bijlage.service import deel_aad


async def roteer_inhoud(
    session: AsyncSession, key_ring: KeyRing, *, batch: int = 50, commit: bool = True
) -> int:
    """Re-encrypt the content not yet under the current key; the number of segments."""
    kid = key_ring.current_kid
    total = 0
    while bijlagen := await repository.niet_onder_sleutel(session, kid, batch):
        for bijlage in bijlagen:
            assert bijlage.sleutel is not None
            for number in range(bijlage.delen):
                sealed = await repository.deel(session, bijlage.id, number)
                if sealed is None:
                    raise RuntimeError(f"attachment {bijlage.id} misses segment {number}")
                aad = deel_aad(bijlage.melding_id, bijlage.id, number, number == bijlage.delen - 1)
                plain = key_ring.decrypt_bytes(sealed, kid=bijlage.sleutel, aad=aad)
                new_kid, resealed = key_ring.encrypt_bytes(plain, aad=aad)
                assert new_kid == kid
                await repository.herschrijf_deel(session, bijlage.id, number, resealed)
                total += 1
            await repository.zet_sleutel(session, bijlage.id, kid)
            if commit:
                await session.commit()
            else:
                await session.flush()
        session.expunge_all()
    return total
