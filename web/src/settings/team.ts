// Settings → People (issue 13, item 1): invite a person, change a person's role or state.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, dataOf, type Schemas } from "../api/client";
import { keys, useApi } from "../api/queries";

export type Person = Schemas["UserOut"];
export type Role = Schemas["Role"];
export type Invite = Schemas["InviteIn"];
export type PersonChange = Schemas["UserChangeIn"];

export const ROLES: readonly Role[] = ["agent", "admin"];

/** Is this the tenant's only enabled admin? The API refuses (409) to demote or disable them. */
export function isLastEnabledAdmin(person: Person, people: readonly Person[]): boolean {
  const admins = people.filter((p) => p.enabled && p.role === "admin");
  return admins.length === 1 && admins[0]!.id === person.id;
}

/** A 409 (a conflict): the caller words it, knowing what it means here. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

export function useInvitePerson() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Invite) => dataOf(await api.POST("/inbox/users", { body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.users }),
  });
}

export function useChangePerson() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...body }: PersonChange & { id: string }) =>
      dataOf(await api.PATCH("/inbox/users/{user_id}", { params: { path: { user_id: id } }, body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.users }),
  });
}
