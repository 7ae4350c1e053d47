import { Agent, EnvHttpProxyAgent, interceptors, type Dispatcher } from 'undici';

/** How many HTTP redirects a download follows: 5. */
export const MAX_REDIRECTIONS = 5;

/**
 * Returns an undici dispatcher that honours `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (also in lower case) from
 * `env`, and follows up to 5 redirects. Node 20's built-in fetch ignores these variables, so downloads go through
 * undici's EnvHttpProxyAgent. Without a proxy variable it is a plain connection pool.
 */
export function createProxyDispatcher(env: NodeJS.ProcessEnv = process.env): Dispatcher {
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  const noProxy = env.NO_PROXY ?? env.no_proxy;

  if (isEmpty(httpsProxy) && isEmpty(httpProxy)) {
    return new Agent().compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }));
  }

  // Empty strings rather than undefined, so that undici does not read process.env in place of `env`. A request to an
  // https URL uses HTTP_PROXY when HTTPS_PROXY is unset (undici's rule).
  return new EnvHttpProxyAgent({ httpProxy: httpProxy ?? '', httpsProxy: httpsProxy ?? '', noProxy: noProxy ?? '' }).compose(
    interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }),
  );
}

function isEmpty(value: string | undefined): value is undefined {
  return value === undefined || value === '';
}
