import { QueryClientProvider } from "@tanstack/react-query";
import { useMemo } from "react";
import { apiClient } from "./api/client";
import { AppQueryClient } from "./api/queryClient";
import { Activity } from "./audit/Activity";
import { isActivityHash } from "./audit/links";
import { ApiContext } from "./api/queries";
import { AuthProvider, useAuth } from "./auth/AuthProvider";
import { SignIn } from "./auth/SignIn";
import type { AppConfig } from "./config";
import { I18nProvider } from "./i18n/i18n";
import { Inbox } from "./inbox/Inbox";
import { LiveUrlContext } from "./live/LiveUpdates";
import { isSavedRepliesHash } from "./savedReplies/savedReplies";
import { SavedRepliesScreen } from "./savedReplies/SavedRepliesScreen";
import { isSettingsHash, Settings, useHash } from "./settings/Settings";
import { isStatsHash, LazyStatsScreen } from "./stats/StatsLink";

export function App({ config }: { config: AppConfig }) {
  return (
    <I18nProvider>
      <AuthProvider config={config}>
        <LiveUrlContext.Provider value={config.websocketUrl || null}>
          <SignedIn apiBaseUrl={config.apiBaseUrl} />
        </LiveUrlContext.Provider>
      </AuthProvider>
    </I18nProvider>
  );
}

/** The inbox for a session, the sign-in screens without one. Each session gets its own cache,
 * so nothing read by one user is shown to the next. */
function SignedIn({ apiBaseUrl }: { apiBaseUrl: string }) {
  const { session } = useAuth();
  const api = useMemo(() => (session ? apiClient(apiBaseUrl, session) : null), [apiBaseUrl, session]);
  const queryClient = useMemo(
    () =>
      new AppQueryClient({
        defaultOptions: { queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: true } },
      }),
    [session],
  );
  if (!session || !api) return <SignIn />;
  return (
    <QueryClientProvider client={queryClient}>
      <ApiContext.Provider value={api}>
        <Screen apiBaseUrl={apiBaseUrl} />
      </ApiContext.Provider>
    </QueryClientProvider>
  );
}

/** The settings at #settings and the activity at #activity (admins), the inbox otherwise. */
function Screen({ apiBaseUrl }: { apiBaseUrl: string }) {
  const hash = useHash();
  if (isStatsHash(hash)) return <LazyStatsScreen />; // its own chunk, loaded when opened
  if (isActivityHash(hash)) return <Activity />;
  if (isSavedRepliesHash(hash)) return <SavedRepliesScreen hash={hash} />; // everyone's: their own, and the team's
  return isSettingsHash(hash) ? <Settings apiBaseUrl={apiBaseUrl} hash={hash} /> : <Inbox />;
}
