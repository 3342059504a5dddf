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

  const toSignIn = () => (setError(null), setStep({ name: "signIn" }));
  const backToSignIn = { label: t("auth.backToSignIn"), onClick: toSignIn };
  const frame = { error, busy };
  const emailField = <EmailField email={email} setEmail={setEmail} />;

  let content: ReactNode;
  if (step.name === "signIn") {
    content = (
      <AuthForm
        {...frame}
        label={t("auth.signIn")}
        heading={t("app.title")}
        intro={step.notice && <p className="notice">{t(step.notice)}</p>}
        submitLabel={busy ? t("auth.signingIn") : t("auth.signIn")}
        secondary={{ label: t("auth.forgot"), onClick: () => (setError(null), setStep({ name: "forgot" })) }}
        onSubmit={run(async () => {
          follow(await cognito.signIn(email.trim(), passwordOf(document.getElementById("password"))));
        })}
      >
        {emailField}
        <label>
          {t("auth.password")}
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </label>
      </AuthForm>
    );
  } else if (step.name === "newPassword") {
    content = (
      <AuthForm
        {...frame}
        label={t("auth.newPassword.title")}
        intro={<p>{t("auth.newPassword.intro")}</p>}
        submitLabel={t("auth.newPassword.save")}
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
        <NewPasswordField name="new" label={t("auth.newPassword")} />
        <NewPasswordField name="again" label={t("auth.newPassword.confirm")} />
      </AuthForm>
    );
  } else if (step.name === "forgot") {
    content = (
      <AuthForm
        {...frame}
        label={t("auth.forgot.title")}
        intro={<p>{t("auth.forgot.intro")}</p>}
        submitLabel={t("auth.forgot.send")}
        secondary={backToSignIn}
        onSubmit={run(async () => {
          const destination = await cognito.forgotPassword(email.trim());
          setStep({ name: "confirmForgot", email: email.trim(), destination });
        })}
      >
        {emailField}
      </AuthForm>
    );
  } else {
    content = (
      <AuthForm
        {...frame}
        label={t("auth.forgot.title")}
        intro={<p>{t("auth.forgot.sent", { destination: step.destination ?? step.email })}</p>}
        submitLabel={t("auth.forgot.save")}
        secondary={backToSignIn}
        onSubmit={(event) => {
          const code = field("code")(event).trim();
          const password = field("new")(event);
          return run(async () => {
            await cognito.confirmForgotPassword(step.email, code, password);
            setStep({ name: "signIn", notice: "auth.forgot.done" });
          })(event);
        }}
      >
        <label>
          {t("auth.forgot.code")}
          <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
        </label>
        <NewPasswordField name="new" label={t("auth.newPassword")} />
      </AuthForm>
    );
  }
  return (
    <main className="sign-in">
      {content}
      <LanguageSwitch />
    </main>
  );
}

/** The frame every sign-in step shares: its title, what it says first, its fields, the error, its buttons. */
function AuthForm(props: {
  label: string;
  heading?: string;
  intro?: ReactNode;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  secondary?: { label: string; onClick: () => void };
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <form aria-label={props.label} onSubmit={props.onSubmit}>
      <h1>{props.heading ?? props.label}</h1>
      {props.intro}
      {props.children}
      {props.error && (
        <p role="alert" className="error">
          {props.error}
        </p>
      )}
      <button type="submit" disabled={props.busy}>
        {props.submitLabel}
      </button>
      {props.secondary && (
        <button type="button" className="link" onClick={props.secondary.onClick}>
          {props.secondary.label}
        </button>
      )}
    </form>
  );
}

// The email is kept in state so that it follows from sign-in to the forgotten-password steps.
function EmailField({ email, setEmail }: { email: string; setEmail: (email: string) => void }) {
  const { t } = useI18n();
  return (
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
  );
}

function NewPasswordField({ name, label }: { name: string; label: string }) {
  return (
    <label>
      {label}
      <input name={name} type="password" autoComplete="new-password" required minLength={12} />
    </label>
  );
}

// The password is read from the field when the form is sent, never kept in React state.
function passwordOf(element: HTMLElement | null): string {
  return element instanceof HTMLInputElement ? element.value : "";
}
