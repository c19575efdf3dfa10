// Where the app's route lives in the browser's address, by the page's route_url_strategy
// (set by the host from the app's setting): "path", the default, keeps it in the address's
// path and query (/store?x=1); "hash" in its fragment (/#/store?x=1).

const HASH = "hash";

/** The browser's address from its path on (path, query and fragment): what register sends,
 * for the host to find the route in by the app's strategy. */
export const address = () => location.pathname + location.search + location.hash;

/** The route the address shows, by `strategy`; "/" when its fragment holds none. */
export function routeOf(strategy) {
  if (strategy !== HASH) return location.pathname + location.search;
  const fragment = location.hash.slice(1);
  return fragment.startsWith("/") ? fragment : "/";
}

/** What to give history.pushState for `route`, by `strategy`. */
export const urlOf = (route, strategy) => (strategy === HASH ? `#${route}` : route);
