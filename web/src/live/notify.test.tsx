// Notifications: which live events notify (and beep) for each choice, and the browser's permission
// asked only from a user's click, never when the app or the settings panel shows.
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { click, render } from "../test/render";
import type { LiveEvent } from "./events";
import { DEFAULT_PREFERENCES, reactionTo, type NotifyChoice, type NotifyPreferences } from "./notifications";
import { NotifySettings } from "./NotifySettings";
import { changed as event, NOW } from "./testEvents";

const react = (
  what: LiveEvent,
  { choice = "mine", sound = false, openId = null, visible = true }: Partial<NotifyPreferences> & {
    openId?: string | null;
    visible?: boolean;
  } = {},
) => reactionTo(what, { preferences: { choice, sound }, me: "u-me", openId, now: NOW, visible });

describe("reactionTo: which events notify for which choice", () => {
  const events = {
    newConversation: event({ change: "created", message_count: 1 }),
    replyOnMine: event({ assignee_id: "u-me" }),
    replyOnSomeoneElses: event({ assignee_id: "u-other" }),
    replyUnassigned: event(),
  };
  const expected: Record<NotifyChoice, Record<keyof typeof events, boolean>> = {
    all: { newConversation: true, replyOnMine: true, replyOnSomeoneElses: true, replyUnassigned: true },
    mine: { newConversation: true, replyOnMine: true, replyOnSomeoneElses: false, replyUnassigned: false },
    none: { newConversation: false, replyOnMine: false, replyOnSomeoneElses: false, replyUnassigned: false },
  };

  for (const choice of ["all", "mine", "none"] as const) {
    it(`with "${choice}"`, () => {
      const notified = Object.fromEntries(
        Object.entries(events).map(([name, what]) => [name, react(what, { choice }).alert !== null]),
      );
      expect(notified).toEqual(expected[choice]);
    });
  }

  it("the alert says whether it is a new conversation or a reply, and which conversation", () => {
    expect(react(events.newConversation).alert).toEqual({ kind: "newConversation", conversationId: "c1" });
    expect(react(events.replyOnMine).alert).toEqual({ kind: "reply", conversationId: "c1" });
  });

  it("nothing for the conversation being read, whatever the choice: it is marked read instead", () => {
    for (const choice of ["all", "mine"] as const) {
      const reading = react(event({ assignee_id: "u-me" }), { choice, sound: true, openId: "c1" });
      expect(reading).toEqual({ markRead: "c1", alert: null, beep: false });
    }
    // Another conversation than the one read still notifies, and nothing is marked read.
    expect(react(event({ assignee_id: "u-me" }), { openId: "c2" })).toMatchObject({ markRead: null, alert: {} });
  });

  it("the open conversation in a hidden tab is not marked read (nobody is reading it)", () => {
    expect(react(event({ assignee_id: "u-me" }), { openId: "c1", visible: false }).markRead).toBeNull();
  });

  it("beeps only with a notification and the sound turned on", () => {
    expect(react(event({ assignee_id: "u-me" }), { sound: true }).beep).toBe(true);
    expect(react(event({ assignee_id: "u-me" }), { sound: false }).beep).toBe(false);
    expect(react(event({ assignee_id: "u-other" }), { sound: true }).beep).toBe(false); // "mine": not notified
    expect(react(event({ customer_wrote: false, assignee_id: "u-me" }), { sound: true }).beep).toBe(false);
  });
});

/** A stand-in for the browser's Notification: its permission, and the event being dispatched when the
 * permission was asked (jsdom has no user activation to read; a click's handler runs inside the click). */
function fakeNotification(permission: NotificationPermission) {
  const asked: (string | undefined)[] = [];
  const requestPermission = vi.fn(async () => {
    asked.push((window as { event?: Event }).event?.type);
    return "granted" as const;
  });
  vi.stubGlobal("Notification", Object.assign(function Notification() {}, { permission, requestPermission }));
  return { asked, requestPermission };
}

/** The panel (it reads no API) keeping the choices made; `click` is async: the permission's answer
 * updates the panel after the click. */
async function renderSettings(initial: NotifyPreferences = DEFAULT_PREFERENCES) {
  function Harness() {
    const [preferences, setPreferences] = useState(initial);
    return <NotifySettings preferences={preferences} onChange={setPreferences} />;
  }
  const { container } = await render(<Harness />);
  const button = (name: string) => [...container.querySelectorAll("button")].find((b) => b.textContent === name);
  const radio = (label: string) =>
    [...container.querySelectorAll("label")].find((l) => l.textContent === label)?.querySelector("input");
  return { container, click, button, radio };
}

describe("NotifySettings: the browser's permission", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is not asked when the app shows the settings, nor when the panel opens", async () => {
    const { requestPermission } = fakeNotification("default");
    const view = await renderSettings();
    await view.click(view.button("Alerts"));
    expect(view.radio("New conversations and replies on mine")?.checked).toBe(true);
    expect(requestPermission).not.toHaveBeenCalled();
  });

  it("is asked during the click that chooses alerts, once, and not for Nothing", async () => {
    const { asked, requestPermission } = fakeNotification("default");
    const view = await renderSettings({ choice: "none", sound: false });
    await view.click(view.button("Alerts"));
    await view.click(view.radio("Nothing"));
    expect(requestPermission).not.toHaveBeenCalled();
    await view.click(view.radio("Every new conversation and customer reply"));
    expect(asked).toEqual(["click"]);
  });

  it("is asked during the click on Allow, which is offered while the browser has not been asked", async () => {
    const { asked } = fakeNotification("default");
    const view = await renderSettings();
    await view.click(view.button("Alerts"));
    await view.click(view.button("Allow browser notifications"));
    expect(asked).toEqual(["click"]);
  });

  it("is never asked again once the browser answered", async () => {
    const { requestPermission } = fakeNotification("denied");
    const view = await renderSettings({ choice: "none", sound: false });
    await view.click(view.button("Alerts"));
    await view.click(view.radio("Every new conversation and customer reply"));
    expect(view.button("Allow browser notifications")).toBeUndefined();
    expect(view.container.textContent).toContain("Notifications are blocked");
    expect(requestPermission).not.toHaveBeenCalled();
  });
});

describe("the beep", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is two short generated tones, in an audio context made by the sound box's click", async () => {
    vi.resetModules(); // a fresh module: no audio context kept from another test
    const tones: number[] = [];
    const contexts: unknown[] = [];
    class FakeAudioContext {
      state = "suspended";
      currentTime = 0;
      destination = {};
      resume = vi.fn();
      constructor() {
        contexts.push(this);
      }
      createOscillator() {
        const oscillator = {
          type: "",
          frequency: { value: 0 },
          connect: (next: unknown) => next,
          start: () => tones.push(oscillator.frequency.value),
          stop: () => undefined,
        };
        return oscillator;
      }
      createGain() {
        return { gain: { setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() }, connect: (n: unknown) => n };
      }
    }
    vi.stubGlobal("AudioContext", FakeAudioContext);
    const { beep, unlockAudio } = await import("./alerts");
    unlockAudio();
    expect((contexts[0] as FakeAudioContext).resume).toHaveBeenCalled();
    beep();
    expect(tones).toEqual([880, 1320]);
    expect(contexts).toHaveLength(1); // the click's context, reused
  });

  it("is silent, without an error, where the browser has no audio", async () => {
    vi.resetModules();
    vi.stubGlobal("AudioContext", undefined);
    const { beep } = await import("./alerts");
    expect(() => beep()).not.toThrow();
  });
});
