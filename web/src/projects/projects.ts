import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
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
    onSettled: () => void queryClient.invalidateQueries({ queryKey: projectKeys.projects }),
  });
}

export function useChangeProject() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, changes }: { id: string; changes: Schemas["ProjectPatch"] }) =>
      dataOf(await api.PATCH("/inbox/projects/{project_id}", { params: { path: { project_id: id } }, body: changes })),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKeys.projects }),
        queryClient.invalidateQueries({ queryKey: inboxKeys.conversations }),
      ]),
  });
}

/** A project's name as a person reads it: with its outside reference when it has one. */
export function projectLabel(project: Pick<Project, "name" | "external_ref">): string {
  return project.external_ref ? `${project.name} (${project.external_ref})` : project.name;
}
