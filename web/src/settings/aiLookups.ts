// Settings → AI → Lookups (issue 16, item 1): the tenant's lookups the AI may call while it writes a
// reply, read and changed through /inbox/ai/lookups (admins).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, dataOf, type Schemas } from "../api/client";
import { useApi } from "../api/queries";
import { refusedField } from "../api/errorText";
import { LOOKUP_FIELD_STATUSES } from "./lookupRefusals";

export type AiLookup = Schemas["AiLookupOut"];
/** As created, or given a new secret: the signing secret, in clear this once. */
export type CreatedLookup = Schemas["AiLookupCreatedOut"];
export type LookupIn = Schemas["AiLookupIn"];
/** One call of a lookup and what came of it (inbox.models.ai_lookup.LookupCall). */
export type LookupCall = Schemas["LookupCall"];

export const lookupKeys = { all: ["settings", "ai-lookups"] as const };

const one = (id: string) => ({ params: { path: { lookup_id: id } } });

export function useAiLookups() {
  const api = useApi();
  return useQuery({
    queryKey: lookupKeys.all,
    queryFn: async () => dataOf(await api.GET("/inbox/ai/lookups")).items,
  });
}

export function useCreateLookup() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: LookupIn) => dataOf(await api.POST("/inbox/ai/lookups", { body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lookupKeys.all }),
  });
}

export function useChangeLookup() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...body }: Schemas["AiLookupChangeIn"] & { id: string }) =>
      dataOf(await api.PATCH("/inbox/ai/lookups/{lookup_id}", { ...one(id), body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lookupKeys.all }),
  });
}

export function useDeleteLookup() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE("/inbox/ai/lookups/{lookup_id}", one(id));
      if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: lookupKeys.all }),
  });
}

/** A new signing secret, shown once; the old one signs nothing from now on. */
export function useRotateSecret() {
  const api = useApi();
  return useMutation({
    mutationFn: async (id: string) => dataOf(await api.POST("/inbox/ai/lookups/{lookup_id}/secret", one(id))),
  });
}

/** A call made now with the arguments typed, as the AI would make it: nothing is written to a conversation. */
export function useTestLookup(id: string) {
  const api = useApi();
  return useMutation({
    mutationFn: async (args: Record<string, unknown>) =>
      dataOf(await api.POST("/inbox/ai/lookups/{lookup_id}/test", { ...one(id), body: { arguments: args } })),
  });
}

/** The field a 422 names (`endpoint: must be https` → `endpoint`; `parameters.properties.x` → `parameters`),
 * or a 409 (`name: another lookup is named x`: a name is its tenant's alone). */
export function refusedLookupField(error: unknown): string | null {
  return refusedField(error, { top: true, statuses: LOOKUP_FIELD_STATUSES });
}
