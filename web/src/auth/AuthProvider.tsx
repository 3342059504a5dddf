import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { AppConfig } from "../config";
import { CognitoClient, type Tokens } from "./cognito";
import { Session } from "./session";

interface Auth {
  cognito: CognitoClient;
  session: Session | null;
  /** Why the last session ended, shown on the sign-in screen. */
  ended: "signedOut" | "expired" | null;
  start: (tokens: Tokens) => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const cognito = useMemo(
    () => new CognitoClient(config.cognitoEndpoint, config.userPoolClientId),
    [config.cognitoEndpoint, config.userPoolClientId],
  );
  const [session, setSession] = useState<Session | null>(null);
  const [ended, setEnded] = useState<Auth["ended"]>(null);
  const start = useCallback(
    (tokens: Tokens) => {
      const next = new Session(cognito, tokens, (reason) => {
        setSession((current) => (current === next ? null : current));
        setEnded(reason);
      });
      setEnded(null);
      setSession(next);
    },
    [cognito],
  );
  const value = useMemo(() => ({ cognito, session, ended, start }), [cognito, session, ended, start]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}
