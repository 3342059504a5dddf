// The settings screens' reads and changes (admins): integrations, folders, the AI settings.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, dataOf, type Schemas } from "../api/client";
import { apiErrorText, type Translate } from "../api/errorText";
import { keys as inboxKeys, useApi } from "../api/queries";
import type { GroupJson } from "./rules";

export type Integration = Schemas["IntegrationOut"];
export type IntegrationIn =
  | Schemas["CustomIntegrationIn"]
  | Schemas["EmailIntegrationIn"]
  | Schemas["VonageIntegrationIn"];
export type EmailIntegrationIn = Schemas["EmailIntegrationIn"];
export type FolderIn = Schemas["FolderIn"];
export type AiSettings = Schemas["AiSettingsOut"];

export const settingsKeys = {
  integrations: ["settings", "integrations"] as const,
  integration: (id: string) => ["settings", "integrations", id] as const,
  ai: ["settings", "ai"] as const,
  preview: (rule: GroupJson | null) => ["settings", "preview", rule] as const,
};

export function useIntegrations() {
  const api = useApi();
  return useQuery({
    queryKey: settingsKeys.integrations,
    queryFn: async () => dataOf(await api.GET("/inbox/integrations")),
  });
}

/** One integration; read again every 2 s while its mailbox sync runs (or was just asked for). */
export function useIntegration(id: string, poll: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: settingsKeys.integration(id),
    queryFn: async () =>
      dataOf(await api.GET("/inbox/integrations/{integration_id}", { params: { path: { integration_id: id } } })),
    refetchInterval: (query) => (poll || query.state.data?.sync?.running ? 2000 : false),
  });
}

export function useCreateIntegration() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: IntegrationIn) => dataOf(await api.POST("/inbox/integrations", { body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: settingsKeys.integrations }),
  });
}

export function useRenameIntegration() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, name }: { id: string; name: string }) =>
      dataOf(
        await api.PUT("/inbox/integrations/{integration_id}", {
          params: { path: { integration_id: id } },
          body: { name },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: settingsKeys.integrations }),
  });
}

export function useDeleteIntegration() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE("/inbox/integrations/{integration_id}", {
        params: { path: { integration_id: id } },
      });
      if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: settingsKeys.integrations }),
  });
}

export function useTestConnection() {
  const api = useApi();
  return useMutation({
    mutationFn: async (body: EmailIntegrationIn) => dataOf(await api.POST("/inbox/integrations/test", { body })),
  });
}

export function useSyncNow() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      dataOf(
        await api.POST("/inbox/integrations/{integration_id}/sync", { params: { path: { integration_id: id } } }),
      ),
    onSettled: (_data, _error, id) => queryClient.invalidateQueries({ queryKey: settingsKeys.integration(id) }),
  });
}

export function useSaveFolder() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, folder }: { id: string | null; folder: FolderIn }) =>
      id === null
        ? dataOf(await api.POST("/inbox/folders", { body: folder }))
        : dataOf(await api.PUT("/inbox/folders/{folder_id}", { params: { path: { folder_id: id } }, body: folder })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboxKeys.folders }),
  });
}

export function useDeleteFolder() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE("/inbox/folders/{folder_id}", {
        params: { path: { folder_id: id } },
      });
      if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboxKeys.folders }),
  });
}

/** The latest conversations a rule would file; nothing asked while the rule is empty or unfinished. */
export function useRulePreview(rule: GroupJson | null, ready: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: settingsKeys.preview(rule),
    enabled: ready && rule !== null,
    staleTime: 5_000,
    placeholderData: (previous) => previous,
    queryFn: async () =>
      dataOf(await api.POST("/inbox/folders/preview", { body: { rules: rule as Schemas["Group"] } })),
  });
}

export function useAiSettings() {
  const api = useApi();
  return useQuery({ queryKey: settingsKeys.ai, queryFn: async () => dataOf(await api.GET("/inbox/settings/ai")) });
}

export function useSaveAiSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["AiSettingsIn"]) => dataOf(await api.PUT("/inbox/settings/ai", { body })),
    onSuccess: (saved) => queryClient.setQueryData(settingsKeys.ai, saved),
  });
}

/** A refused request in the interface's language (by the API's error code; api/errorText.ts). */
export function errorText(error: unknown, t: Translate): string {
  return apiErrorText(error, t);
}
