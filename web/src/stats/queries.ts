// GET /inbox/stats (issue 14, item 2): the figures of a period, and the same as a CSV file.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ApiError, dataOf, type ApiClient, type Schemas } from "../api/client";
import { useApi } from "../api/queries";
import { csvFileName, type StatsQuery } from "./period";

export type Stats = Schemas["StatsOut"];
export type Figures = Schemas["Figures"];
export type PeriodFigures = Schemas["PeriodFigures"];
export type Durations = Schemas["Durations"];

/** The figures for `query` (null: not asked while the period is not valid). The previous answer stays
 * on screen while another granularity or filter is read, so the charts do not blink away. */
export function useStats(query: StatsQuery | null) {
  const api = useApi();
  return useQuery({
    queryKey: ["stats", query] as const,
    enabled: query !== null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    // The route answers JSON or, with format=csv, text/csv: the generated type is both, this is JSON.
    queryFn: async () => dataOf(await api.GET("/inbox/stats", { params: { query: query! } })) as Stats,
  });
}

/** The same figures as text/csv, through the API client (so with the session's token: a plain link
 * would carry none), saved by the browser under a name that says what it holds. */
export async function downloadStatsCsv(api: ApiClient, query: StatsQuery): Promise<void> {
  const { data, error, response } = await api.GET("/inbox/stats", {
    params: { query: { ...query, format: "csv" } },
    parseAs: "blob",
  });
  if (error !== undefined || !data) throw new ApiError(response.status, error);
  const url = URL.createObjectURL(data);
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = csvFileName(query);
    document.body.appendChild(link);
    link.click();
    link.remove();
  } finally {
    // After the click has handed the file over: revoking at once can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }
}
