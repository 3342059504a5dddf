import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { dataOf, type Schemas } from "../api/client";
import { keys as inboxKeys, useApi } from "../api/queries";

export type Project = Schemas["ProjectOut"];

export const projectKeys = { projects: ["projects"] as const };

/** The tenant's projects, newest first (the API's first page of 200: a small business's active ones),
 * read when something shows them: a picker reached for, a conversation or a filter naming one. */
export function useProjects(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: projectKeys.projects,
    enabled,
    staleTime: 60_000,
    queryFn: async () => dataOf(await api.GET("/inbox/projects", { params: { query: { limit: 200 } } })).items,
  });
}

export function useCreateProject() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["ProjectIn"]) => dataOf(await api.POST("/inbox/projects", { body })),
    onSettled: () => void readAgain(queryClient),
  });
}

export function useChangeProject() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, changes }: { id: string; changes: Schemas["ProjectPatch"] }) =>
      dataOf(await api.PATCH("/inbox/projects/{project_id}", { params: { path: { project_id: id } }, body: changes })),
    onSettled: () =>
      Promise.all([readAgain(queryClient), queryClient.invalidateQueries({ queryKey: inboxKeys.conversations })]),
  });
}

/** The projects read again after a write. A read still under way may have left before the write (the
 * list's first read, when a project is added before it came): invalidating alone would join that read,
 * whose answer lacks the write yet counts as fresh for a minute, so it is cancelled first. */
async function readAgain(queryClient: QueryClient) {
  await queryClient.cancelQueries({ queryKey: projectKeys.projects });
  await queryClient.invalidateQueries({ queryKey: projectKeys.projects });
}

/** A project's name as a person reads it: with its outside reference when it has one. */
export function projectLabel(project: Pick<Project, "name" | "external_ref">): string {
  return project.external_ref ? `${project.name} (${project.external_ref})` : project.name;
}
