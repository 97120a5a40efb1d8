// A real OpenID provider for the proost-sso tests, built on the `oidc-provider` package.
//
//   node server.mjs [PORT]            (or OIDC_PORT; default 9400)
//
// Environment:
//   OIDC_PORT           port on 127.0.0.1 (0 picks a free one); the issuer is
//                       http://127.0.0.1:PORT
//   OIDC_CLIENT_ID      the confidential client (default "proost")
//   OIDC_CLIENT_SECRET  its secret (default "proost-secret")
//   OIDC_REDIRECT_URI   its redirect URI (default "http://127.0.0.1:8080/auth/oidc/callback")
//   OIDC_OTHER_CLIENT_ID  a second client with the same secret and redirect URI, so tests can
//                         obtain genuine ID tokens issued to someone else (default "other-app")
//
// Accounts (login by email or id, password as listed):
//   ada@proost.test    / ada-password    Ada Lovelace     groups analysts, emea
//   grace@proost.test  / grace-password  Grace Hopper     groups admins
//   nomail             / nomail-password No Mail          no email claim, groups viewers
//
// Login and consent are plain HTML forms (no JavaScript), so a test with an HTTP client and a
// cookie jar can complete them. Prints "listening ISSUER" on stdout once ready.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import Provider from 'oidc-provider';

const requestedPort = Number(process.argv[2] ?? process.env.OIDC_PORT ?? 9400);
// Listen first, so that with port 0 the issuer names the port actually bound.
const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(requestedPort, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;
const clientId = process.env.OIDC_CLIENT_ID || 'proost';
const otherClientId = process.env.OIDC_OTHER_CLIENT_ID || 'other-app';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'proost-secret';
const redirectUri = process.env.OIDC_REDIRECT_URI || 'http://127.0.0.1:8080/auth/oidc/callback';

const accounts = new Map([
  ['ada', { password: 'ada-password', email: 'ada@proost.test', name: 'Ada Lovelace', groups: ['analysts', 'emea'] }],
  ['grace', { password: 'grace-password', email: 'grace@proost.test', name: 'Grace Hopper', groups: ['admins'] }],
  ['nomail', { password: 'nomail-password', name: 'No Mail', groups: ['viewers'] }],
]);

function findByLogin(login) {
  for (const [id, account] of accounts) {
    if (id === login || account.email === login) return [id, account];
  }
  return undefined;
}

function passwordMatches(expected, given) {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

// A fresh signing key per run: tests must fetch it through discovery + JWKS, never know it.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `test-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' };

const client = (client_id) => ({
  client_id,
  client_secret: clientSecret,
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client(clientId), client(otherClientId)],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // Every client must use PKCE, confidential ones included, so a client that forgets to send
  // the verifier fails here rather than passing silently.
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  // With the default (true) the ID token of the code flow carries only `sub` and the rest
  // comes from userinfo; OIDC_CLAIMS_IN_ID_TOKEN=1 puts the scope claims in the ID token.
  conformIdTokenClaims: process.env.OIDC_CLAIMS_IN_ID_TOKEN !== '1',
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, name: account.name, groups: account.groups };
        if (account.email) {
          claims.email = account.email;
          claims.email_verified = true;
        }
        return claims;
      },
    };
  },
});
provider.on('server_error', (_ctx, err) => console.error('server_error', err));

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, title, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`<!doctype html><html><head><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

function loginForm(res, uid, error) {
  page(res, 200, 'Sign in', `${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<input name="login" autocomplete="username"><input name="password" type="password"><button type="submit">Sign in</button>
</form>`);
}

function consentForm(res, uid, details) {
  page(res, 200, 'Authorize', `<p>Scopes: ${escapeHtml([...(details.missingOIDCScope || [])].join(' '))}</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm"><button type="submit">Allow</button></form>`);
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return page(res, 400, 'Interaction mismatch', '');
  const { prompt } = details;

  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') return loginForm(res, uid);
    return consentForm(res, uid, prompt.details);
  }
  if (req.method === 'POST' && action === 'login' && prompt.name === 'login') {
    const form = await readForm(req);
    const found = findByLogin(form.get('login') || '');
    if (!found || !passwordMatches(found[1].password, form.get('password') || '')) {
      return loginForm(res, uid, 'Invalid login or password.');
    }
    return provider.interactionFinished(req, res, { login: { accountId: found[0] } }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'confirm' && prompt.name === 'consent') {
    const { params, session } = details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    const consent = details.grantId ? {} : { grantId };
    return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }
  return page(res, 400, 'Unexpected interaction step', '');
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm))?$/.exec(req.url.split('?')[0]);
  if (!match) return callback(req, res);
  interaction(req, res, match[1], match[2]).catch((err) => {
    console.error('interaction error', err);
    if (!res.headersSent) page(res, 400, 'Interaction failed', `<p>${escapeHtml(err.message)}</p>`);
  });
});
console.log(`listening ${issuer}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
