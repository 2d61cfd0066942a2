using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Bulwark.Server.Api;

/// <summary>Reads a JSON body with errors that name the offending field and position, instead of the framework's generic 400.</summary>
public static class JsonBody
{
    public sealed record Parsed<T>(T? Value, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem);

    public static async Task<Parsed<T>> ReadAsync<T>(Stream body, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(body, type, ct);
            return value is null
                ? new(null, Problems.Malformed("The body is empty or the JSON literal null; an object is required."))
                : new(value, null);
        }
        catch (JsonException ex)
        {
            return new(null, Describe(ex));
        }
    }

    public static Parsed<T> Read<T>(JsonElement element, JsonTypeInfo<T> type) where T : class
    {
        if (element.ValueKind != JsonValueKind.Object) return new(null, Problems.Malformed($"Expected a JSON object, found {element.ValueKind}."));
        try
        {
            return new(element.Deserialize(type), null);
        }
        catch (JsonException ex)
        {
            return new(null, Describe(ex));
        }
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Describe(JsonException ex)
    {
        // System.Text.Json reports the JSON path ($.media[0].url) and the position; turn them into a field name and a sentence.
        var field = ex.Path is { Length: > 1 } p ? p.TrimStart('$').TrimStart('.') : null;
        // System.Text.Json reports a lone \uD800-style escape as a type mismatch; say what it really is.
        if (ex.InnerException is InvalidOperationException inner && inner.Message.Contains("surrogate", StringComparison.OrdinalIgnoreCase))
            return Problems.Malformed($"{field ?? "body"}: contains a lone UTF-16 surrogate escape (\\uD800–\\uDFFF without its pair) at byte {ex.BytePositionInLine + 1}; send valid Unicode text.", field ?? "body");
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
        var reason = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.');
        if (reason.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            reason = "unknown field (not part of the contract)";
        else if (reason.Contains("could not be converted", StringComparison.Ordinal))
            reason = "has the wrong JSON type for this field";
        return Problems.Malformed(field is null ? $"Invalid JSON{where}: {reason}." : $"{field}: {reason}{where}.", field);
    }
}
