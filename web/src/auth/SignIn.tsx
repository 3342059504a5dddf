import { useState, type FormEvent, type ReactNode } from "react";
import { LanguageSwitch, useI18n } from "../i18n/i18n";
import { isMessageKey, type MessageKey } from "../i18n/messages";
import { useAuth } from "./AuthProvider";
import { CognitoError, type SignInResult } from "./cognito";

type Step =
  | { name: "signIn"; notice?: MessageKey }
  | { name: "newPassword"; session: string; username: string }
  | { name: "forgot" }
  | { name: "confirmForgot"; email: string; destination: string | null };

/** The sign-in screens: email and password, the first sign-in's new password, the forgotten password. */
export function SignIn() {
  const { cognito, start, ended } = useAuth();
  const { t } = useI18n();
  const [step, setStep] = useState<Step>({ name: "signIn", notice: ended === "expired" ? "auth.expired" : undefined });
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const explain = (caught: unknown): string => {
    const code = caught instanceof CognitoError ? caught.code : "other";
    if (code === "network") return t("auth.error.network");
    const key = `auth.error.${code}`;
    return isMessageKey(key) ? t(key) : t("auth.error.other", { code });
  };

  const run = (action: () => Promise<void>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (caught) {
      setError(explain(caught));
    } finally {
      setBusy(false);
    }
  };

  const follow = (result: SignInResult) => {
    if (result.kind === "signedIn") start(result.tokens);
    else setStep({ name: "newPassword", session: result.session, username: result.username });
  };

  const field = (name: string) => (event: FormEvent<HTMLFormElement>) =>
    String(new FormData(event.currentTarget).get(name) ?? "");

  let content: ReactNode;
  if (step.name === "signIn") {
    content = (
      <form
        aria-label={t("auth.signIn")}
        onSubmit={run(async () => {
          follow(await cognito.signIn(email.trim(), passwordOf(document.getElementById("password"))));
        })}
      >
        <h1>{t("app.title")}</h1>
        {step.notice && <p className="notice">{t(step.notice)}</p>}
        <label>
          {t("auth.email")}
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          {t("auth.password")}
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>
          {busy ? t("auth.signingIn") : t("auth.signIn")}
        </button>
        <button type="button" className="link" onClick={() => (setError(null), setStep({ name: "forgot" }))}>
          {t("auth.forgot")}
        </button>
      </form>
    );
  } else if (step.name === "newPassword") {
    content = (
      <form
        aria-label={t("auth.newPassword.title")}
        onSubmit={(event) => {
          const password = field("new")(event);
          if (password !== field("again")(event)) {
            event.preventDefault();
            setError(t("auth.newPassword.mismatch"));
            return;
          }
          return run(async () => follow(await cognito.setNewPassword(step.session, step.username, password)))(event);
        }}
      >
        <h1>{t("auth.newPassword.title")}</h1>
        <p>{t("auth.newPassword.intro")}</p>
        <label>
          {t("auth.newPassword")}
          <input name="new" type="password" autoComplete="new-password" required minLength={12} />
        </label>
        <label>
          {t("auth.newPassword.confirm")}
          <input name="again" type="password" autoComplete="new-password" required minLength={12} />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>
          {t("auth.newPassword.save")}
        </button>
      </form>
    );
  } else if (step.name === "forgot") {
    content = (
      <form
        aria-label={t("auth.forgot.title")}
        onSubmit={run(async () => {
          const destination = await cognito.forgotPassword(email.trim());
          setStep({ name: "confirmForgot", email: email.trim(), destination });
        })}
      >
        <h1>{t("auth.forgot.title")}</h1>
        <p>{t("auth.forgot.intro")}</p>
        <label>
          {t("auth.email")}
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>
          {t("auth.forgot.send")}
        </button>
        <BackToSignIn onClick={() => (setError(null), setStep({ name: "signIn" }))} />
      </form>
    );
  } else {
    content = (
      <form
        aria-label={t("auth.forgot.title")}
        onSubmit={(event) => {
          const code = field("code")(event).trim();
          const password = field("new")(event);
          return run(async () => {
            await cognito.confirmForgotPassword(step.email, code, password);
            setStep({ name: "signIn", notice: "auth.forgot.done" });
          })(event);
        }}
      >
        <h1>{t("auth.forgot.title")}</h1>
        <p>{t("auth.forgot.sent", { destination: step.destination ?? step.email })}</p>
        <label>
          {t("auth.forgot.code")}
          <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
        </label>
        <label>
          {t("auth.newPassword")}
          <input name="new" type="password" autoComplete="new-password" required minLength={12} />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>
          {t("auth.forgot.save")}
        </button>
        <BackToSignIn onClick={() => (setError(null), setStep({ name: "signIn" }))} />
      </form>
    );
  }
  return (
    <main className="sign-in">
      {content}
      <LanguageSwitch />
    </main>
  );
}

function BackToSignIn({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="link" onClick={onClick}>
      {t("auth.backToSignIn")}
    </button>
  );
}

// The password is read from the field when the form is sent, never kept in React state.
function passwordOf(element: HTMLElement | null): string {
  return element instanceof HTMLInputElement ? element.value : "";
}
