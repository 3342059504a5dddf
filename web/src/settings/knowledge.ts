// The knowledge base's reads and changes (admins write; web/src/settings/KnowledgeSettings.tsx).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, dataOf, type Schemas } from "../api/client";
import { useApi } from "../api/queries";

export type KnowledgeDocument = Schemas["KnowledgeDocumentOut"];
export type KnowledgeLimits = Schemas["KnowledgeLimitsOut"];

export const knowledgeKeys = {
  all: ["settings", "knowledge"] as const,
  document: (id: string) => ["settings", "knowledge", id] as const,
};

/** Extensions offered by the file picker; the server reads the type from the bytes whatever the name. */
export const ACCEPTED_FILES = ".pdf,.docx,.txt,.md,.html,.htm";

export function useKnowledge() {
  const api = useApi();
  return useQuery({ queryKey: knowledgeKeys.all, queryFn: async () => dataOf(await api.GET("/inbox/knowledge")) });
}

export function useKnowledgeDocument(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: knowledgeKeys.document(id ?? ""),
    enabled: id !== null,
    queryFn: async () =>
      dataOf(await api.GET("/inbox/knowledge/{document_id}", { params: { path: { document_id: id! } } })),
  });
}

function useKnowledgeChange<T>(change: (body: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSettled: () => queryClient.invalidateQueries({ queryKey: knowledgeKeys.all }),
  });
}

export function useAddKnowledgeText() {
  const api = useApi();
  return useKnowledgeChange(async (body: Schemas["KnowledgeTextIn"]) =>
    dataOf(await api.POST("/inbox/knowledge", { body })),
  );
}

export function useUploadKnowledgeFile() {
  const api = useApi();
  return useKnowledgeChange(async ({ file, title }: { file: File; title: string }) => {
    const body = { filename: file.name, content_base64: await base64Of(file), ...(title ? { title } : {}) };
    return dataOf(await api.POST("/inbox/knowledge/upload", { body }));
  });
}

export function useUpdateKnowledgeDocument() {
  const api = useApi();
  return useKnowledgeChange(async ({ id, ...body }: { id: string } & Schemas["KnowledgeUpdateIn"]) =>
    dataOf(await api.PUT("/inbox/knowledge/{document_id}", { params: { path: { document_id: id } }, body })),
  );
}

export function useDeleteKnowledgeDocument() {
  const api = useApi();
  return useKnowledgeChange(async (id: string) => {
    const { error, response } = await api.DELETE("/inbox/knowledge/{document_id}", {
      params: { path: { document_id: id } },
    });
    if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
  });
}

/** A file's bytes as base64, what the upload's JSON body carries (README "Knowledge base"). */
export async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** 1,258,291 bytes → "1.2 MB": sizes as a person reads them (1 KB = 1,024 bytes, as the limits count). */
export function formatSize(bytes: number, language: string): string {
  const units = language === "fr" ? ["o", "Ko", "Mo"] : ["B", "KB", "MB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  const locale = language === "fr" ? "fr-FR" : "en-GB";
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit]}`;
}
