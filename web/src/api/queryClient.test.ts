import { QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { AppQueryClient } from "./queryClient";

function later<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe("AppQueryClient", () => {
  it("reads a list again when a write lands while its first read is under way", async () => {
    const client = new AppQueryClient({ defaultOptions: { queries: { retry: false } } });
    const firstRead = later<string[]>();
    const answers = [firstRead.promise, Promise.resolve(["Website", "Shop"])];
    const observer = new QueryObserver(client, { queryKey: ["projects"], queryFn: () => answers.shift()! });
    const unsubscribe = observer.subscribe(() => undefined);

    const invalidated = client.invalidateQueries({ queryKey: ["projects"] });
    firstRead.resolve(["Website"]); // the answer of a read that left before "Shop" was added
    await invalidated;

    expect(client.getQueryData(["projects"])).toEqual(["Website", "Shop"]);
    unsubscribe();
  });

  it("lets a disabled query's on-demand read finish when its conversation is invalidated", async () => {
    const client = new AppQueryClient({ defaultOptions: { queries: { retry: false } } });
    const read = later<string[]>();
    const earlier = new QueryObserver(client, {
      queryKey: ["conversation", "c1", "earlier", "cursor"],
      enabled: false,
      queryFn: () => read.promise,
    });
    const unsubscribe = earlier.subscribe(() => undefined);

    const shown = earlier.refetch(); // "Show earlier messages"
    const invalidated = client.invalidateQueries({ queryKey: ["conversation", "c1"] }); // marked read meanwhile
    read.resolve(["an earlier message"]);
    await invalidated;

    expect((await shown).data).toEqual(["an earlier message"]);
    unsubscribe();
  });
});
