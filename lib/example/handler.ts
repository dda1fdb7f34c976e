/** The example service function: a stand-in for a team's real handler (no dependencies). */
export const handler = async (event: unknown): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: JSON.stringify({ ok: true, received: event ?? null }),
});
