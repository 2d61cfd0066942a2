using System.Net;
using System.Text.Json;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>Reading partner answers: a status other than success, or a body that is not the documented JSON, is a clear failure.</summary>
internal static class ExchangeHttp
{
    public static async Task<JsonDocument> GetJsonAsync(HttpClient http, HttpRequestMessage request, string what, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        Ensure(response, body, what);
        try { return JsonDocument.Parse(body); }
        catch (JsonException ex) { throw new ExchangeFetchException($"malformed page from {what}: not JSON ({ex.Message})"); }
    }

    public static void Ensure(HttpResponseMessage response, byte[] body, string what)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        var retryable = status is >= 500 or 429 or 408;
        var hint = status switch { 401 or 403 => " (check the partner's token)", 404 => " (check the partner's address)", _ => "" };
        throw new ExchangeFetchException($"{what} answered HTTP {status} {response.ReasonPhrase}{hint}{Excerpt(body)}", retryable);
    }

    /// <summary>A short, single-line excerpt of an error body (never the request, which may carry a token).</summary>
    private static string Excerpt(byte[] body)
    {
        if (body.Length == 0) return "";
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "" : $": {text}";
    }

    public static string Str(JsonElement e, string name, string what)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) throw new ExchangeFetchException($"malformed page from {what}: an item has no '{name}'");
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new ExchangeFetchException($"malformed page from {what}: '{name}' is {v.ValueKind}, not a string"),
        };
    }

    public static string? OptStr(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    public static bool OptBool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static JsonElement.ArrayEnumerator Array(JsonElement e, string name, string what)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array)
            throw new ExchangeFetchException($"malformed page from {what}: '{name}' is missing or not a list");
        return v.EnumerateArray();
    }

    public static OpinionResult Failure(long id, Exception ex) => ex switch
    {
        ExchangeFetchException f => new OpinionResult(id, false, f.Message, f.Retryable),
        TaskCanceledException or TimeoutException => new OpinionResult(id, false, "the partner did not answer in time"),
        HttpRequestException h => new OpinionResult(id, false, $"the partner could not be reached ({h.Message})"),
        Bulwark.Core.Ingest.ForbiddenAddressException f => new OpinionResult(id, false, f.Message, false),
        _ => throw ex,
    };

    public static async Task PostAsync(HttpClient http, HttpRequestMessage request, string what, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        Ensure(response, body, what);
    }

    public static readonly HttpStatusCode NotModified = HttpStatusCode.NotModified;
}
