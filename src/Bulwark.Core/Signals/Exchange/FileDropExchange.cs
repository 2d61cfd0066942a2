using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Signals.KnownContent;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>
/// A partner that publishes a file at a URL: python-threatexchange CSV (<c>signal_type,signal_str,collab,category,tags</c>,
/// read by <see cref="BankInterop"/>) or a vPDQ file (one video's frame lines). Each fetch reads the whole file; an unchanged
/// file (same ETag, or same SHA-256) changes nothing, a changed one is applied as a full list, so rows it no longer has are
/// deleted. A CSV row is identified by its signal (type and value), a vPDQ file by its URL. Takes no opinions.
/// </summary>
public sealed class FileDropExchange : ISignalExchange
{
    public string Kind => ExchangeKinds.File;
    public bool TakesOpinions => false;

    public async Task<ExchangePage> FetchAsync(ExchangeCall call, string? checkpoint, CancellationToken ct)
    {
        var p = call.Partner;
        using var request = new HttpRequestMessage(HttpMethod.Get, p.Url);
        if (p.Token is { Length: > 0 } token) request.Headers.Authorization = new("Bearer", token);
        if (checkpoint is { Length: > 0 } && checkpoint.StartsWith("etag:", StringComparison.Ordinal))
            request.Headers.TryAddWithoutValidation("If-None-Match", checkpoint[5..]);
        using var response = await call.Http.SendAsync(request, ct);
        if (response.StatusCode == ExchangeHttp.NotModified) return new ExchangePage([], checkpoint!, More: false);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        ExchangeHttp.Ensure(response, body, $"file drop {p.Name}");
        var sha = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        var next = response.Headers.ETag is { } etag ? $"etag:{etag}" : sha;
        if (next == checkpoint || sha == checkpoint) return new ExchangePage([], next, More: false);
        string text;
        try { text = new UTF8Encoding(false, true).GetString(body); }
        catch (DecoderFallbackException) { throw new ExchangeFetchException($"malformed file from {p.Name}: not UTF-8 text"); }
        var deltas = new List<ExchangeDelta>();
        if (p.Format == FileDropFormats.Vpdq)
        {
            if (!KnownSignalTypes.TryParseVpdq(text, out _, out _, out _, out var error)) throw new ExchangeFetchException($"malformed file from {p.Name}: {error}");
            deltas.Add(new ExchangeDelta($"vpdq:{p.Url}", DeltaKind.Upsert, [new ExchangeSignal(KnownSignalTypes.Vpdq, text)], []));
        }
        else
        {
            var parsed = BankInterop.ParseCsv(new StringReader(text));
            // A changed file is a whole list, so one with no readable row at all (an error page, a truncated body) would
            // read as "everything withdrawn": refused instead, and the bank stays as it was.
            if (parsed.Entries.Count == 0 && parsed.Errors.Count > 0)
                throw new ExchangeFetchException($"malformed file from {p.Name}: no readable row (line {parsed.Errors[0].Position}: {parsed.Errors[0].Message}); the list is left as it was");
            for (var i = 0; i < parsed.Entries.Count; i++)
            {
                var e = parsed.Entries[i];
                deltas.Add(new ExchangeDelta($"{e.SignalType}:{e.Value}".Length > 200 ? $"{e.SignalType}:md5:{KnownSignalTypes.Md5Hex(e.Value)}" : $"{e.SignalType}:{e.Value}",
                    DeltaKind.Upsert, [new ExchangeSignal(e.SignalType, e.Value)], e.Labels ?? [], e.Entity));
            }
            if (parsed.Errors.Count > 0)
                deltas.Add(new ExchangeDelta("(unreadable rows)", DeltaKind.Upsert, [], [], Skipped: parsed.Errors.Select(x => $"line {x.Position}: {x.Message}").ToList()));
        }
        return new ExchangePage(deltas, next, More: false, FullSnapshot: true);
    }

    public Task<IReadOnlyList<OpinionResult>> SendOpinionsAsync(ExchangeCall call, IReadOnlyList<OpinionToSend> opinions, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<OpinionResult>>(opinions.Select(o => new OpinionResult(o.FeedbackId, false, "a file drop takes no opinions", false)).ToList());
}
