// WhatsApp templates listed from Vonage (issue 16, item 5): a conversation's approved ones (Vonage's list,
// then the typed ones), asked again on demand; an integration's whole list with review statuses; and the
// approved ones of every WhatsApp integration, which a folder's nudge may send.
import { useMutation, useQuery, useQueries, useQueryClient } from "@tanstack/react-query";
import { dataOf, type Schemas } from "../api/client";
import { useApi } from "../api/queries";
import { settingsKeys, useIntegrations } from "../settings/queries";
import type { WhatsAppTemplate } from "../inbox/whatsappTemplates";

export type ListedTemplate = Schemas["ListedTemplate"];
export type TemplateChoice = Schemas["TemplateChoice"];

export const templateKeys = {
  ofConversation: (conversationId: string) => ["whatsapp-templates", conversationId] as const,
  ofIntegration: (integrationId: string) => ["whatsapp-templates", "integration", integrationId] as const,
};

export function useConversationTemplates(conversationId: string) {
  const api = useApi();
  return useQuery({
    queryKey: templateKeys.ofConversation(conversationId),
    staleTime: 60_000,
    queryFn: async () =>
      dataOf(
        await api.GET("/inbox/conversations/{conversation_id}/whatsapp-templates", {
          params: { path: { conversation_id: conversationId } },
        }),
      ).items,
  });
}

/** Asks Vonage again (refresh=true): newly approved templates show, refused ones go. */
export function useRefreshConversationTemplates(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      dataOf(
        await api.GET("/inbox/conversations/{conversation_id}/whatsapp-templates", {
          params: { path: { conversation_id: conversationId }, query: { refresh: true } },
        }),
      ).items,
    onSuccess: (items) => queryClient.setQueryData(templateKeys.ofConversation(conversationId), items),
  });
}

export function useIntegrationTemplates(integrationId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: templateKeys.ofIntegration(integrationId),
    enabled,
    queryFn: async () =>
      dataOf(
        await api.GET("/inbox/integrations/{integration_id}/whatsapp-templates", {
          params: { path: { integration_id: integrationId } },
        }),
      ),
  });
}

export function useRefreshIntegrationTemplates(integrationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      dataOf(
        await api.GET("/inbox/integrations/{integration_id}/whatsapp-templates", {
          params: { path: { integration_id: integrationId }, query: { refresh: true } },
        }),
      ),
    onSuccess: (listed) => {
      queryClient.setQueryData(templateKeys.ofIntegration(integrationId), listed);
      void queryClient.invalidateQueries({ queryKey: ["whatsapp-templates"] }); // the conversations' lists too
    },
  });
}

export function useSaveWaba(integrationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (waba: string) =>
      dataOf(
        await api.PUT("/inbox/integrations/{integration_id}", {
          params: { path: { integration_id: integrationId } },
          body: { vonage: { whatsapp_business_account_id: waba } },
        }),
      ),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: settingsKeys.integrations });
      void queryClient.invalidateQueries({ queryKey: templateKeys.ofIntegration(integrationId) });
    },
  });
}

type VonageSettings = {
  whatsapp_numbers?: string[];
  whatsapp_templates?: WhatsAppTemplate[];
  whatsapp_business_account_id?: string | null;
};

/** Every approved template a nudge may send: each WhatsApp integration's list from Vonage, and its typed ones. */
export function useTenantTemplates(): { templates: WhatsAppTemplate[]; pending: boolean; problem: unknown } {
  const integrations = useIntegrations();
  const whatsapp = (integrations.data ?? []).filter(
    (integration) => integration.kind === "vonage" && (integration.settings as VonageSettings).whatsapp_numbers?.length,
  );
  const api = useApi();
  const lists = useQueries({
    queries: whatsapp.map((integration) => ({
      queryKey: templateKeys.ofIntegration(integration.id),
      enabled: Boolean((integration.settings as VonageSettings).whatsapp_business_account_id),
      queryFn: async () =>
        dataOf(
          await api.GET("/inbox/integrations/{integration_id}/whatsapp-templates", {
            params: { path: { integration_id: integration.id } },
          }),
        ),
    })),
  });
  const seen = new Set<string>();
  const templates: WhatsAppTemplate[] = [];
  const add = (template: WhatsAppTemplate) => {
    const key = `${template.name}/${template.locale}`;
    if (!seen.has(key)) templates.push(template);
    seen.add(key);
  };
  whatsapp.forEach((integration, index) => {
    for (const listed of lists[index]?.data?.items ?? []) if (listed.status === "APPROVED") add(listed);
    for (const typed of (integration.settings as VonageSettings).whatsapp_templates ?? []) add(typed);
  });
  // A list that could not be read is said, not silently left out (its templates would look gone).
  const problem = integrations.error ?? lists.find((list) => list.error)?.error ?? null;
  return { templates, pending: integrations.isPending || lists.some((list) => list.isLoading), problem };
}
