using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Records.Anchoring;

/// <summary>
/// Writes a signed checkpoint for every entry whose number is a multiple of <see cref="AuditAnchorOptions.CheckpointEvery"/>,
/// to the file (appended, flushed to disk) and the URL (POST) configured. Before signing it recomputes the entries since its
/// last checkpoint, starting from that checkpoint's hash, so it never signs a chain that disagrees with what it signed
/// before. Its position is the last checkpoint in the file (no database table); with a URL only, it starts from the first
/// entry again after a restart and re-sends (a receiver deduplicates by <c>seq</c>).
/// </summary>
public sealed class AuditCheckpointWriter(
    IBulwarkDbFactory dbs, AuditAnchorOptions options, AuditSigningKey key, IHttpClientFactory http, TimeProvider clock, ILogger<AuditCheckpointWriter> log)
{
    public const string HttpClientName = "Bulwark.AuditAnchor";
    /// <summary>Checkpoints kept for a URL that does not answer; older ones are dropped (the newest covers them).</summary>
    internal const int MaxPendingPosts = 1000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<AuditCheckpoint> _pending = [];
    private (long Seq, string Hash)? _position;

    /// <summary>Why the last run did not sign or deliver everything (a chain that disagrees, an unreachable URL), or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Checks and signs every checkpoint that is due, writes and sends them; returns the ones written in this call.</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> WriteDueAsync(CancellationToken ct)
    {
        if (!options.Enabled) return [];
        await _gate.WaitAsync(ct);
        try
        {
            LastError = null;
            _position ??= ReadPosition();
            var (seq, prev) = _position.Value;
            var every = options.CheckpointEvery;
            var written = new List<AuditCheckpoint>();
            await using (var db = dbs.Create())
            {
                var head = await db.AuditEntries.MaxAsync(e => (long?)e.Seq, ct) ?? 0;
                var target = head / every * every;
                if (target > seq)
                {
                    var start = seq;
                    var expected = seq + 1;
                    await foreach (var e in db.AuditEntries.AsNoTracking().Where(e => e.Seq > seq && e.Seq <= target).OrderBy(e => e.Seq)
                                       .AsAsyncEnumerable().WithCancellation(ct))
                    {
                        var problem = e.Seq != expected ? $"entry {expected} is missing"
                            : e.PrevHash != prev ? $"entry {e.Seq} does not follow " + (e.Seq == start + 1 && start > 0 ? $"the checkpoint of entry {start}" : $"entry {e.Seq - 1}")
                            : AuditLog.ComputeHash(e) != e.Hash ? $"entry {e.Seq} no longer matches its hash" : null;
                        if (problem is not null)
                        {
                            LastError = $"not signing: {problem}; the audit chain disagrees with what was checkpointed before (run 'bulwark audit verify --anchor')";
                            log.LogError("Audit checkpoint {Problem}", LastError);
                            break;
                        }
                        prev = e.Hash;
                        expected++;
                        if (e.Seq % every != 0) continue;
                        written.Add(key.Sign(e.Seq, e.Seq, e.Hash, clock.GetUtcNow()));
                        seq = e.Seq;
                    }
                }
            }
            if (written.Count > 0)
            {
                if (options.File is { Length: > 0 } file) await AppendAsync(file, written, ct);
                _position = (written[^1].Seq, written[^1].Hash);
                if (options.Url is { Length: > 0 })
                {
                    _pending.AddRange(written);
                    if (_pending.Count > MaxPendingPosts) _pending.RemoveRange(0, _pending.Count - MaxPendingPosts);
                }
            }
            if (options.Url is { Length: > 0 } url) await PostPendingAsync(new Uri(url), ct);
            return written;
        }
        finally { _gate.Release(); }
    }

    /// <summary>The last checkpoint in the file; entry 0 and the genesis hash when there is none.</summary>
    private (long, string) ReadPosition()
    {
        if (options.File is not { Length: > 0 } file || !File.Exists(file)) return (0, AuditLog.GenesisHash);
        (long, string) last = (0, AuditLog.GenesisHash);
        foreach (var line in File.ReadLines(file))
            if (AuditCheckpointFile.TryParseCheckpoint(line, out var c)) last = (c!.Seq, c.Hash);
        return last;
    }

    private async Task AppendAsync(string file, List<AuditCheckpoint> checkpoints, CancellationToken ct)
    {
        var full = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var sb = new StringBuilder();
        await using var stream = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read);
        if (stream.Position == 0)
        {
            var k = key.PublicKey;
            sb.Append(JsonSerializer.Serialize(new AuditCheckpointHeader(AuditCheckpointHeader.FileType, "Ed25519", k.Id, k.Base64))).Append('\n');
        }
        else if (!EndsWithNewline(full)) sb.Append('\n'); // a line cut short by a crash stays on its own line
        foreach (var c in checkpoints) sb.Append(c.ToJson()).Append('\n');
        await stream.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), ct);
        stream.Flush(flushToDisk: true);
    }

    private static bool EndsWithNewline(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (read.Length == 0) return true;
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() == '\n';
    }

    // The connect step's reason (e.g. the address guard's refusal) is in an inner exception.
    private static string Describe(Exception ex)
    {
        var inner = ex.InnerException;
        while (inner?.InnerException is not null && inner is not Ingest.ForbiddenAddressException) inner = inner.InnerException;
        return inner is null ? ex.Message : $"{ex.Message} ({inner.Message})";
    }

    private async Task PostPendingAsync(Uri url, CancellationToken ct)
    {
        var client = http.CreateClient(HttpClientName);
        while (_pending.Count > 0)
        {
            var c = _pending[0];
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
                using var content = new StringContent(c.ToJson(), Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(url, content, timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    LastError = $"the anchor URL answered {(int)response.StatusCode} for the checkpoint of entry {c.Seq}; retrying at the next poll";
                    log.LogWarning("Audit checkpoint: {Problem}", LastError);
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                LastError = $"the anchor URL could not be reached for the checkpoint of entry {c.Seq} ({(ex is OperationCanceledException ? "timed out" : Describe(ex))}); retrying at the next poll";
                log.LogWarning("Audit checkpoint: {Problem}", LastError);
                return;
            }
            _pending.RemoveAt(0);
        }
    }
}

/// <summary>Runs the checkpoint writer every <see cref="AuditAnchorOptions.PollSeconds"/> when anchoring is configured.</summary>
public sealed class AuditCheckpointWorker(AuditCheckpointWriter writer, AuditAnchorOptions options, TimeProvider clock, ILogger<AuditCheckpointWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await writer.WriteDueAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { log.LogError(ex, "Audit checkpoint writing failed; retrying"); }
            try { await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
