// OpenID providers for the single sign-on tests (docs/sso.md).
//
// startOidcProvider(): a real provider, the npm package `oidc-provider`, on 127.0.0.1 (http: the
// tests allow its host in outboundAllowedHosts). Its development sign-in form (devInteractions)
// accepts any login name; `people` maps login names to the claims the ID token carries. Consent
// is granted at once (loadExistingGrant), so the browser goes login -> back to Switchboard.
// `signIn(authorizeUrl, login)` drives that form over HTTP (a cookie jar, no browser) and
// returns the URL the provider sends the browser back to (Switchboard's callback).
//
// startForgingIssuer(): a provider written here with jose whose ID tokens can be made wrong on
// purpose (another issuer, another audience, expired, another nonce, another key), for the
// refusals a real provider never produces.

import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

import { request } from './contract.mjs';

function listen(handler) {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function closer(server) {
  return () => new Promise((r) => { server.closeAllConnections(); server.close(r); });
}

// Starts listening at once (the issuer URL is needed to start Switchboard); configure() then
// creates the provider with the client whose redirect URI is Switchboard's callback.
export async function startOidcProvider({ clientId = 'switchboard', clientSecret = crypto.randomBytes(18).toString('base64url') } = {}) {
  let provider = null;
  const server = await listen((req, res) => {
    if (!provider) { res.writeHead(503); res.end(); return; }
    provider.callback()(req, res);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const people = new Map();
  const codes = []; // every code sent back, for replay tests

  function configure(redirectUri) {
    provider = new Provider(issuer, {
      clients: [{
        client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri],
        grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
      }],
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
      conformIdTokenClaims: false, // the person's claims in the ID token itself
      cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
      pkce: { required: () => true },
      ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 300, IdToken: 300, AuthorizationCode: 60 },
      async findAccount(ctx, id) {
        const claims = people.get(id) || { preferred_username: id };
        return { accountId: id, async claims() { return { sub: id, ...claims }; } };
      },
      async loadExistingGrant(ctx) {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope('openid profile email');
        await grant.save();
        return grant;
      },
    });
    provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));
  }

  // Follows the provider's pages as a browser would, signing in as `login`.
  async function signIn(authorizeUrl, login) {
    const jar = new Map();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const keep = (r) => {
      for (const c of r.setCookie) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        const name = pair.slice(0, i);
        const value = pair.slice(i + 1);
        if (value && !/expires=Thu, 01 Jan 1970/i.test(c)) jar.set(name, value);
        else jar.delete(name);
      }
    };
    let url = new URL(authorizeUrl);
    for (let hops = 0; hops < 10; hops++) {
      if (url.origin !== issuer) {
        const code = url.searchParams.get('code');
        if (code) codes.push(code);
        return url.href;
      }
      const page = await request(issuer, 'GET', url.pathname + url.search, { headers: { Cookie: cookieHeader(), Accept: 'text/html' } });
      keep(page);
      if (page.status >= 300 && page.status < 400) {
        url = new URL(page.headers.location, issuer);
        continue;
      }
      if (page.status !== 200) throw new Error(`oidc-provider answered ${page.status}: ${page.text.slice(0, 500)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(page.text)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(page.text)?.[1];
      if (!action || !prompt) throw new Error(`no form on the provider's page: ${page.text.slice(0, 500)}`);
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt });
      const sent = await request(issuer, 'POST', new URL(action.replace(/&amp;/g, '&'), issuer).pathname, {
        body: form.toString(), headers: { Cookie: cookieHeader(), 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      });
      keep(sent);
      if (!(sent.status >= 300 && sent.status < 400)) throw new Error(`the provider's form answered ${sent.status}: ${sent.text.slice(0, 500)}`);
      url = new URL(sent.headers.location, issuer);
    }
    throw new Error('too many redirects at the provider');
  }

  return {
    issuer, clientId, clientSecret, people, codes, configure, signIn,
    host: `127.0.0.1:${server.address().port}`, close: closer(server),
  };
}

// A provider whose ID tokens `bad` can spoil: {iss, aud, exp (seconds from now), nonce, key:
// 'other'}. Codes are single use; PKCE is checked as a real provider does.
export async function startForgingIssuer({ clientId = 'forged-client' } = {}) {
  const good = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(good.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map();
  const state = { person: null, bad: {}, clientId };
  const server = await listen(async (req, res) => {
    const url = new URL(req.url, issuer);
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const json = (code, body) => { res.writeHead(code, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'], token_endpoint_auth_methods_supported: ['client_secret_post'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const code = crypto.randomBytes(12).toString('base64url');
      codes.set(code, { nonce: url.searchParams.get('nonce'), challenge: url.searchParams.get('code_challenge') });
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state'));
      res.writeHead(302, { Location: back.href });
      return res.end();
    }
    if (url.pathname === '/token') {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const c = codes.get(form.get('code'));
      const challenge = crypto.createHash('sha256').update(form.get('code_verifier') || '').digest('base64url');
      if (!c || c.challenge !== challenge || form.get('client_id') !== state.clientId) return json(400, { error: 'invalid_grant' });
      codes.delete(form.get('code'));
      const b = state.bad;
      const now = Math.floor(Date.now() / 1000);
      const idToken = await new SignJWT({ ...state.person, nonce: b.nonce ?? c.nonce })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(b.iss ?? issuer).setAudience(b.aud ?? state.clientId)
        .setSubject('s1').setIssuedAt(Math.min(now, now + (b.exp ?? 300) - 60)).setExpirationTime(now + (b.exp ?? 300))
        .sign(b.key === 'other' ? other.privateKey : good.privateKey);
      return json(200, { token_type: 'Bearer', access_token: 'at', id_token: idToken, expires_in: 300 });
    }
    res.writeHead(404);
    res.end();
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;
  return { issuer, state, host: `127.0.0.1:${server.address().port}`, close: closer(server) };
}
