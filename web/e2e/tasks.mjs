// Tasks in the browser (issue 13, item 5), in a tenant of the test's own with one conversation and a
// second person: an admin opens the conversation, adds a task for themselves and one for the agent,
// completes then reopens the first, deletes the second, and finds the first in "My tasks", whose row
// opens its conversation; axe-core on the conversation with the task form open and on My tasks.
// Prints what it saw as JSON; tests/e2e/test_web_tasks.py compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, MY_TASK, AGENT_TASK, AGENT_NAME.
import { accessibilityViolations, desktopPage, env, launch, openAllAsAdmin } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

try {
  const page = await desktopPage(browser, seen);
  await openAllAsAdmin(page);
  const rows = page.locator(".conversation-row");
  await rows.first().click();
  seen.conversationId = await rows.first().getAttribute("data-conversation-id");
  const tasks = page.getByRole("region", { name: "Tasks" });
  await tasks.getByText("No task yet.").waitFor();

  // A task for me (the form's default assignee, due tomorrow at 9:00), then one for the agent.
  const add = async (title, assignee) => {
    await tasks.getByRole("button", { name: "Add a task" }).click();
    const form = tasks.locator("form#task-form");
    await form.getByLabel("What to do").fill(title);
    if (assignee) {
      await form.locator("select[name=assignee_id] option", { hasText: assignee }).waitFor({ state: "attached" });
      await form.getByLabel("For").selectOption({ label: assignee });
    }
    if (!seen.axe.form) seen.axe.form = await accessibilityViolations(page);
    await form.getByRole("button", { name: "Add the task" }).click();
    await tasks.getByRole("status").filter({ hasText: `Task added: ${title}.` }).waitFor();
  };
  await add(env("MY_TASK"));
  await add(env("AGENT_TASK"), env("AGENT_NAME"));
  const item = (title) => tasks.locator(".task", { hasText: title });
  seen.listed = await tasks.locator(".task").evaluateAll((found) =>
    found.map((row) => [row.querySelector(".task-title").textContent, row.querySelector(".task-meta").textContent]),
  );

  // Complete, then reopen (the keyboard: Space on the focused checkbox).
  const mine = item(env("MY_TASK")).getByRole("checkbox");
  // The box shows the task as the API has it: it turns checked once the change is saved, not on the click.
  await mine.click();
  await tasks.locator(".task.task-done", { hasText: env("MY_TASK") }).waitFor();
  // Saved and read again: the box is enabled once more (it is disabled while its change is under way).
  await page.waitForFunction((title) => {
    const row = [...document.querySelectorAll(".task")].find((task) => task.textContent.includes(title));
    const box = row?.querySelector("input[name=done]");
    return box && box.checked && !box.disabled;
  }, env("MY_TASK"));
  seen.doneChecked = await mine.isChecked();
  await mine.focus();
  await page.keyboard.press("Space");
  await page.locator(".task.task-done").waitFor({ state: "detached" });
  seen.reopened = !(await mine.isChecked());

  // The agent's task deleted.
  await tasks.getByRole("button", { name: `Delete the task ${env("AGENT_TASK")}` }).click();
  await item(env("AGENT_TASK")).waitFor({ state: "detached" });

  // My tasks: mine only; its row opens its conversation.
  await page.getByRole("button", { name: "My tasks" }).click();
  const myTasks = page.getByRole("region", { name: "My tasks" });
  await myTasks.locator(".my-task").first().waitFor();
  seen.myTasks = await myTasks.locator(".my-task .task-title").allTextContents();
  seen.myTasksCurrent = await page.getByRole("button", { name: "My tasks" }).getAttribute("aria-current");
  seen.axe.myTasks = await accessibilityViolations(page);
  await myTasks.getByRole("button", { name: new RegExp(env("MY_TASK")) }).click();
  await page.locator("#conversation-title").waitFor();
  seen.openedTitle = await page.locator("#conversation-title").textContent();
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
