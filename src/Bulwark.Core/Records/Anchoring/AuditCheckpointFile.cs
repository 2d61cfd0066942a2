using System.Text.Json;

namespace Bulwark.Core.Records.Anchoring;

/// <summary>One line of a checkpoint file as read back: a checkpoint, the header, or a line that is neither.</summary>
public sealed record CheckpointLine(int Line, AuditCheckpoint? Checkpoint, AuditCheckpointHeader? Header, string? Error);

/// <summary>Reads checkpoint files (JSON lines: a header, then one checkpoint per line).</summary>
public static class AuditCheckpointFile
{
    public static bool TryParseCheckpoint(string line, out AuditCheckpoint? checkpoint)
    {
        checkpoint = Parse(1, line).Checkpoint;
        return checkpoint is not null;
    }

    public static CheckpointLine Parse(int number, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return new(number, null, null, "not a JSON object");
            if (doc.RootElement.TryGetProperty("type", out _))
                return doc.RootElement.Deserialize<AuditCheckpointHeader>() is { Type: AuditCheckpointHeader.FileType } h
                    ? new(number, null, h, null) : new(number, null, null, "a header of another kind of file");
            var c = doc.RootElement.Deserialize<AuditCheckpoint>();
            if (c is null || c.Hash is null || c.Time is null || c.KeyId is null || c.Signature is null || c.Seq < 1)
                return new(number, null, null, "a checkpoint needs v, seq (≥ 1), count, hash, time, keyId and signature");
            if (c.Version != AuditCheckpoint.CurrentVersion)
                return new(number, null, null, $"checkpoint version {c.Version}; this build reads version {AuditCheckpoint.CurrentVersion}");
            return new(number, c, null, null);
        }
        catch (JsonException ex) { return new(number, null, null, $"not valid JSON ({ex.Message.Split(" Path:")[0]})"); }
    }

    public static List<CheckpointLine> Read(string path)
    {
        var lines = new List<CheckpointLine>();
        var n = 0;
        foreach (var text in File.ReadLines(path))
        {
            n++;
            if (!string.IsNullOrWhiteSpace(text)) lines.Add(Parse(n, text));
        }
        return lines;
    }
}
