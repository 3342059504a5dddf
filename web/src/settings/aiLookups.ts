// Settings → AI → Lookups (issue 16, item 1): the tenant's lookups the AI may call while it writes a
// reply, read and changed through /inbox/ai/lookups (admins).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, dataOf } from "../api/client";
import { useApi } from "../api/queries";

export interface AiLookup {
  id: string;
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  endpoint: string;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

/** As created: the signing secret, in clear this once. */
export type CreatedLookup = AiLookup & { secret: string };

export type LookupIn = Pick<AiLookup, "name" | "description" | "parameters" | "endpoint" | "enabled">;

/** One call of a lookup and what came of it (inbox.models.ai_lookup.LookupCall). */
export interface LookupCall {
  name: string;
  arguments: Record<string, unknown>;
  ok: boolean;
  answer?: unknown;
  summary: string;
  error?: string | null;
  duration_ms?: number | null;
}

export const lookupKeys = { all: ["settings", "ai-lookups"] as const };

// The routes are called by path until their types are generated (`make api-types` after the API lands).
type Call = (path: string, init?: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
interface LooseApi {
  GET: Call;
  POST: Call;
  PATCH: Call;
  DELETE: Call;
}
function loose(api: ReturnType<typeof useApi>): LooseApi {
  return api as unknown as LooseApi;
}

const ONE = "/inbox/ai/lookups/{lookup_id}";
const one = (id: string) => ({ params: { path: { lookup_id: id } } });

export function useAiLookups() {
  const api = loose(useApi());
  return useQuery({
    queryKey: lookupKeys.all,
    queryFn: async () => (dataOf(await api.GET("/inbox/ai/lookups")) as { items: AiLookup[] }).items,
  });
}

export function useCreateLookup() {
  const api = loose(useApi());
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: LookupIn) => dataOf(await api.POST("/inbox/ai/lookups", { body })) as CreatedLookup,
    onSettled: () => queryClient.invalidateQueries({ queryKey: lookupKeys.all }),
  });
}

export function useChangeLookup() {
  const api = loose(useApi());
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...body }: Partial<LookupIn> & { id: string }) =>
      dataOf(await api.PATCH(ONE, { ...one(id), body })) as AiLookup,
    onSettled: () => queryClient.invalidateQueries({ queryKey: lookupKeys.all }),
  });
}

export function useDeleteLookup() {
  const api = loose(useApi());
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE(ONE, one(id));
      if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: lookupKeys.all }),
  });
}

/** A call made now with the arguments typed, as the AI would make it: nothing is written to a conversation. */
export function useTestLookup(id: string) {
  const api = loose(useApi());
  return useMutation({
    mutationFn: async (args: Record<string, unknown>) =>
      dataOf(await api.POST(`${ONE}/test`, { ...one(id), body: { arguments: args } })) as LookupCall,
  });
}

/** The field a 422 names (`endpoint: must be https` → `endpoint`; `parameters.properties.x` → `parameters`). */
export function refusedLookupField(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const message = (error.body as { error?: { message?: string } } | undefined)?.error?.message ?? "";
  const field = /^([\w.[\]]+):/.exec(message)?.[1];
  return field ? field.split(/[.[]/)[0]! : null;
}
