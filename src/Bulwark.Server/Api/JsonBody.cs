using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Bulwark.Core.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

/// <summary>Reads a JSON body with errors that name the offending field and position, instead of the framework's generic 400.</summary>
public static class JsonBody
{
    public sealed record Parsed<T>(T? Value, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem);

    /// <summary>
    /// Reads a JSON object. With <paramref name="refuseNul"/>, a string holding U+0000 anywhere in the body is a 400 naming
    /// its field (PostgreSQL text cannot store it); content events pass false, since ingest replaces NUL in their free text
    /// and validation refuses it in their identifiers (<see cref="StorableText"/>).
    /// </summary>
    public static async Task<Parsed<T>> ReadAsync<T>(Stream body, JsonTypeInfo<T> type, CancellationToken ct, bool refuseNul = true) where T : class
    {
        if (refuseNul)
        {
            var bytes = await BufferAsync(body, ct);
            if (NulField(bytes) is { } field) return new(null, NulProblem(field));
            try
            {
                var value = JsonSerializer.Deserialize(bytes, type);
                return value is null ? new(null, Problems.Malformed("The body is empty or the JSON literal null; an object is required.")) : new(value, null);
            }
            catch (JsonException ex)
            {
                return new(null, Describe(ex));
            }
        }
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

    /// <summary>The one reader for reflection-bound request bodies: strict JSON errors, and U+0000 refused naming its field.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, JsonSerializerOptions options, CancellationToken ct) where T : class
    {
        var bytes = await BufferAsync(http.Request.Body, ct);
        if (NulField(bytes) is { } field) return (null, NulProblem(field));
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, options);
            return value is null ? (null, Problems.Malformed("The body is empty or the JSON literal null; an object is required.")) : (value, null);
        }
        catch (JsonException ex) { return (null, Describe(ex)); }
    }

    /// <summary>
    /// Reads the body as the endpoint documents it (<see cref="RequestBodies.AcceptsJson{T}"/>): the type and options come
    /// from the endpoint's <see cref="BoundJsonBody"/>, so the handler cannot read a different contract than the OpenAPI
    /// document shows.
    /// </summary>
    public static Task<(T? Value, ProblemHttpResult? Problem)> ReadBoundAsync<T>(HttpContext http, CancellationToken ct) where T : class
    {
        var bound = http.GetEndpoint()?.Metadata.GetMetadata<BoundJsonBody>()
            ?? throw new InvalidOperationException($"The endpoint reads a {typeof(T).Name} body but does not document it with AcceptsJson<{typeof(T).Name}>.");
        if (bound.Type != typeof(T))
            throw new InvalidOperationException($"The endpoint documents a {bound.Type.Name} body but reads a {typeof(T).Name}.");
        return ReadAsync<T>(http, bound.Options, ct);
    }

    /// <summary>A 400 naming the field whose string holds U+0000.</summary>
    public static ProblemHttpResult NulProblem(string field) => Problems.ValidationFailed([new FieldError(field, StorableText.NulMessage)]);

    /// <summary>
    /// The path (<c>terms[2].value</c>) of the first string, or property name, holding U+0000 in a JSON document; null when
    /// there is none or the document is not valid JSON (the deserializer then reports what is wrong with it).
    /// JSON cannot carry a raw NUL byte inside a string, so only escaped strings (<c>\u0000</c>) need decoding.
    /// </summary>
    public static string? NulField(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<(bool Array, string? Name, int Index)>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path);
                        path.Add((reader.TokenType == JsonTokenType.StartArray, null, -1));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.ValueIsEscaped ? reader.GetString()! : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                        path[^1] = (false, name, -1);
                        if (name.Contains('\0')) return Describe(path);
                        break;
                    default:
                        Advance(path);
                        if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped && reader.GetString()!.Contains('\0')) return Describe(path);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException) { /* malformed: the deserializer names the problem */ }
        return null;

        static void Advance(List<(bool Array, string? Name, int Index)> path)
        {
            if (path.Count > 0 && path[^1].Array) path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }

        static string Describe(List<(bool Array, string? Name, int Index)> path)
        {
            var sb = new System.Text.StringBuilder();
            foreach (var (array, name, index) in path)
            {
                if (array) sb.Append('[').Append(index).Append(']');
                else if (name is not null) sb.Append(sb.Length == 0 ? "" : ".").Append(name.Replace("\0", "\\u0000", StringComparison.Ordinal));
            }
            return sb.Length == 0 ? "body" : sb.ToString();
        }
    }

    private static async Task<byte[]> BufferAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
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
