// Settings → Webhooks (issue 13, item 8): the tenant's outbound webhooks, their delivery log, a test event.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, dataOf, type Schemas } from "../api/client";
import { useApi } from "../api/queries";

export type OutboundWebhook = Schemas["WebhookOut"];
export type CreatedWebhook = Schemas["WebhookCreatedOut"];
export type WebhookDelivery = Schemas["DeliveryOut"];
export type EventType = Schemas["EventType"];
export type WebhookChange = Schemas["WebhookChangeIn"];

/** The events a webhook can choose, in the order the form lists them (webhook.test is the test action's). */
export const EVENT_TYPES: readonly EventType[] = [
  "conversation.created",
  "message.received",
  "message.sent",
  "conversation.status_changed",
  "conversation.assigned",
  "task.created",
  "task.done",
  "follow_up.due",
];

export const webhookKeys = {
  all: ["outbound-webhooks"] as const,
  deliveries: (id: string) => ["outbound-webhooks", id, "deliveries"] as const,
};

/** The events chosen in a form, in the list's order, whatever order they were ticked in. */
export function chosenEvents(ticked: Iterable<string>): EventType[] {
  const set = new Set(ticked);
  return EVENT_TYPES.filter((type) => set.has(type));
}

export function useOutboundWebhooks() {
  const api = useApi();
  return useQuery({
    queryKey: webhookKeys.all,
    queryFn: async () => dataOf(await api.GET("/inbox/webhooks")).items,
  });
}

export function useWebhookDeliveries(id: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: webhookKeys.deliveries(id),
    enabled,
    queryFn: async () =>
      dataOf(await api.GET("/inbox/webhooks/{webhook_id}/deliveries", { params: { path: { webhook_id: id } } }))
        .items,
  });
}

export function useCreateWebhook() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["WebhookIn"]) => dataOf(await api.POST("/inbox/webhooks", { body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useChangeWebhook() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...body }: WebhookChange & { id: string }) =>
      dataOf(await api.PATCH("/inbox/webhooks/{webhook_id}", { params: { path: { webhook_id: id } }, body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useDeleteWebhook() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE("/inbox/webhooks/{webhook_id}", {
        params: { path: { webhook_id: id } },
      });
      if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useTestWebhook(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      dataOf(await api.POST("/inbox/webhooks/{webhook_id}/test", { params: { path: { webhook_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(id) }),
  });
}
