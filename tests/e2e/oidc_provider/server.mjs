// A certified OpenID provider (the npm package oidc-provider, major version 8) for the
// gateway's interoperability test: one client_credentials client, RS256 JWT access tokens
// for the resource "urn:weerbaar:api" whose audience is "weerbaar-api".
//
// Usage: node server.mjs PORT   (oidc-provider resolved from NODE_PATH)
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'interop-rs256', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'weerbaar-partner',
      client_secret: 'interop-secret-that-is-long-enough',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'api',
    },
  ],
  jwks: { keys: [jwk] },
  scopes: ['openid', 'api'],
  cookies: { keys: ['interop-test-only-cookie-key'] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:weerbaar:api',
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== 'urn:weerbaar:api') throw new Error('unknown resource');
        return {
          scope: 'api',
          audience: 'weerbaar-api',
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  extraTokenClaims: () => ({ roles: ['behandelaar'], org: 'OWB' }),
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
