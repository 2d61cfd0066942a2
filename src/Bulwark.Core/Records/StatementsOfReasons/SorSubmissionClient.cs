using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Bulwark.Core.Records.StatementsOfReasons;

public enum SubmissionOutcome { Stored, AlreadyStored, Rejected, Failed }

public sealed record SubmissionResult(SubmissionOutcome Outcome, int? StatusCode, string? Message, string? Uuid = null);

/// <summary>Retry settings of the submission client: attempts per statement and the backoff between them.</summary>
public sealed record SorSubmissionRetry(int MaxAttempts = 5, int BaseDelayMilliseconds = 1000, int MaxDelayMilliseconds = 60_000);

/// <summary>
/// Submits statements to the Transparency Database API (<c>POST {base}/api/v1/statement</c>, bearer token). 201 means
/// stored; 422 naming the puid as not unique means the database already holds it (a resubmission after a lost answer), which
/// counts as stored; 429 and 5xx (and no answer at all) are retried with exponential backoff and jitter, honouring
/// Retry-After; any other 4xx is reported as a rejection with the database's messages.
/// </summary>
public sealed class SorSubmissionClient(HttpClient http, Uri baseUri, string token, SorSubmissionRetry retry, TimeProvider clock, Random random)
{
    public async Task<SubmissionResult> SubmitAsync(StatementOfReasons statement, CancellationToken ct)
    {
        var body = statement.ToJson();
        string? last = null;
        int? lastCode = null;
        for (var attempt = 1; attempt <= retry.MaxAttempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "api/v1/statement")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                var code = (int)response.StatusCode;
                lastCode = code;
                if (code == 201) return new SubmissionResult(SubmissionOutcome.Stored, code, null, Field(text, "uuid"));
                if (code == 422 && IsDuplicatePuid(text)) return new SubmissionResult(SubmissionOutcome.AlreadyStored, code, "the database already holds this puid");
                if (code != 429 && code < 500) return new SubmissionResult(SubmissionOutcome.Rejected, code, $"HTTP {code}: {Describe(text)}");
                last = $"HTTP {code}: {Describe(text)}";
                retryAfter = response.Headers.RetryAfter?.Delta
                    ?? (response.Headers.RetryAfter?.Date is { } date ? date - clock.GetUtcNow() : null);
            }
            catch (HttpRequestException ex) { last = $"request failed: {ex.Message}"; lastCode = null; }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { last = "the request timed out"; lastCode = null; }
            if (attempt < retry.MaxAttempts) await Task.Delay(Delay(attempt, retryAfter), clock, ct);
        }
        return new SubmissionResult(SubmissionOutcome.Failed, lastCode, $"gave up after {retry.MaxAttempts} attempts; last: {last}");
    }

    private TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        var ceiling = Math.Min(retry.MaxDelayMilliseconds, retry.BaseDelayMilliseconds * Math.Pow(2, attempt - 1));
        double fraction;
        lock (random) fraction = random.NextDouble();
        var backoff = TimeSpan.FromMilliseconds(ceiling / 2 + fraction * ceiling / 2);
        if (retryAfter is { } ra && ra > backoff) backoff = ra < TimeSpan.FromMilliseconds(retry.MaxDelayMilliseconds) ? ra : TimeSpan.FromMilliseconds(retry.MaxDelayMilliseconds);
        return backoff;
    }

    /// <summary>The database answers a reused puid with 422 and a puid error saying it is not unique (and the existing statement).</summary>
    private static bool IsDuplicatePuid(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (root.TryGetProperty("existing", out _)) return true;
            return root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                && errors.TryGetProperty("puid", out var puid) && puid.ToString().Contains("unique", StringComparison.OrdinalIgnoreCase);
        }
        catch (JsonException) { return false; }
    }

    private static string Describe(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                return string.Join("; ", errors.EnumerateObject().Select(p => $"{p.Name}: {string.Join(" ", p.Value.EnumerateArray().Select(v => v.GetString()))}"));
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var message)) return message.ToString();
        }
        catch (JsonException) { }
        catch (InvalidOperationException) { }
        return body.Length > 300 ? body[..300] : body;
    }

    private static string? Field(string body, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) ? v.ToString() : null;
        }
        catch (JsonException) { return null; }
    }
}
