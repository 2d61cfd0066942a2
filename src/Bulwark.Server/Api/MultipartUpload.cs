using System.Text;
using Bulwark.Core.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Bulwark.Server.Api;

/// <summary>
/// Reads a multipart upload with one file part, <c>file</c>, streamed straight to a path the caller owns (and deletes), and
/// small text fields. Nothing is buffered in memory or in the framework's form files, so the only limits are the configured
/// media limits: the file's type limit (<see cref="IngestOptions.MaxMediaBytes"/>) and the request limit the caller set.
/// </summary>
internal static class MultipartUpload
{
    /// <summary>Largest text field of an upload form (labels, entity, source).</summary>
    public const int MaxFieldChars = 4096;

    public sealed record Result(string? FileName, string? ContentType, long Size, ProblemHttpResult? Problem);

    public static async Task<Result> ReceiveAsync(HttpRequest request, string path, IngestOptions options, Dictionary<string, List<string>> fields, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            return Fail(400, Problems.BadRequest, "Malformed multipart body.", "The multipart/form-data content type has no boundary.");
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        Result? file = null;
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
        {
            var disposition = section.GetContentDispositionHeader();
            var name = disposition?.Name.Value;
            if (disposition is null || string.IsNullOrEmpty(name))
                return Fail(400, Problems.BadRequest, "Malformed multipart body.", "A multipart part has no Content-Disposition name.");
            if (disposition.IsFileDisposition())
            {
                if (name != "file") return Fail(400, Problems.BadRequest, "Malformed multipart body.", $"Unexpected file part '{name}'; send the file as part 'file'.");
                if (file is not null) return Fail(400, Problems.BadRequest, "Malformed multipart body.", "The multipart body has more than one 'file' part.");
                var fileName = disposition.FileNameStar.Value ?? disposition.FileName.Value;
                fileName = string.IsNullOrEmpty(fileName) ? "file" : Path.GetFileName(StorableText.ReplaceNul(fileName)!);
                var limit = options.MaxMediaBytes(section.ContentType);
                var size = await CopyLimitedAsync(section.Body, path, limit, ct);
                if (size < 0)
                    return Fail(413, Problems.PayloadTooLarge, "The file is too large.",
                        $"'{fileName}' exceeds the limit of {limit} bytes for {section.ContentType ?? "files of unknown type"}.", "file");
                file = new Result(fileName, section.ContentType, size, null);
                continue;
            }
            var value = await ReadFieldAsync(section, ct);
            if (value is null) return Fail(400, Problems.Validation, "The request has invalid fields.", $"{name} is longer than {MaxFieldChars} characters.", name);
            if (StorableText.HasNul(value) || StorableText.HasNul(name))
                return new Result(null, null, 0, Problems.ValidationFailed([new FieldError(StorableText.ReplaceNul(name)!, StorableText.NulMessage)]));
            if (!fields.TryGetValue(name, out var list)) fields[name] = list = [];
            list.Add(value);
        }
        return file ?? new Result(null, null, 0, Problems.ValidationFailed([new FieldError("file", "is required: a multipart part named 'file'")]));
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; returns the size, or -1 (and stops reading) when the body is larger.</summary>
    private static async Task<long> CopyLimitedAsync(Stream source, string path, long limit, CancellationToken ct)
    {
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            size += read;
            if (size > limit) return -1;
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return size;
    }

    private static async Task<string?> ReadFieldAsync(MultipartSection section, CancellationToken ct)
    {
        using var text = new StreamReader(section.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var buffer = new char[MaxFieldChars + 1];
        var total = 0;
        int read;
        while (total <= MaxFieldChars && (read = await text.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        return total > MaxFieldChars ? null : new string(buffer, 0, total);
    }

    private static Result Fail(int status, string type, string title, string detail, string? field = null) =>
        new(null, null, 0, Problems.Make(status, type, title, detail,
            field is null ? null : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } }));
}
