using Bulwark.Core.Ingest;
using Bulwark.Core.Signals.Notices;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

/// <summary>
/// A notice that brought a version of the item in (<c>source.type</c> other than upload). The organisation is named for
/// trusted flaggers, partners and authorities only; a reporting user is never named (as in <see cref="NoticeExtractor"/>).
/// </summary>
public sealed record CaseNotice(int Version, string Type, string? Organisation, string? Reference, DateTimeOffset ReceivedAt);

/// <summary>The item a comment answers, as the latest stored version shows it.</summary>
public sealed record CaseParent(string ContentId, string? Kind, string? Text, string? AccountId, string? AccountHandle, DateTimeOffset ReceivedAt);

/// <summary>
/// A DSA notice about the item (<c>/api/v1/notices</c> or the public report form): the notifier's explanation (the reason),
/// whether a trusted flagger sent it (and which), its status and when it came. A reporting user is never named.
/// </summary>
public sealed record CaseReport(long NoticeId, string Source, bool TrustedFlagger, string? Organisation, string Reason, string Status, DateTimeOffset ReceivedAt);

/// <summary>What the case page shows beside the content: the account's bio, the notices about the item, the parent of a comment.</summary>
public sealed record CaseContext(string? AccountBio, IReadOnlyList<CaseNotice> Notices, string? ParentId, CaseParent? Parent, IReadOnlyList<CaseReport>? Reports = null);

/// <summary>What a queue row previews: the first line of the text (cut) and the index of the first picture, if any.</summary>
public sealed record CasePreview(long CaseId, string? FirstLine, int? ImageIndex, int MediaCount);

/// <summary>
/// The context of a case that <see cref="ReviewDetailService"/> leaves out, and the previews of queue rows. Reads only: the
/// case page decides who may see a case before asking.
/// </summary>
public sealed class CaseContextService(IBulwarkDbFactory dbs)
{
    /// <summary>At most this many versions of an item are read for its notices (newest first).</summary>
    public const int NoticeVersions = 50;
    /// <summary>A queue row's line of text is cut at this many characters.</summary>
    public const int PreviewChars = 140;

    public async Task<CaseContext?> GetAsync(long caseId, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().Where(x => x.Id == caseId)
            .Select(x => new { x.ContentId, x.ContentVersionId, x.AccountId }).FirstOrDefaultAsync(ct);
        if (c is null) return null;
        var json = await db.ContentVersions.AsNoTracking().Where(v => v.Id == c.ContentVersionId).Select(v => v.EventJson).FirstOrDefaultAsync(ct);
        var e = json is null ? null : ReviewCases.ReadEvent(json);
        var accountId = c.AccountId ?? e?.Account?.Id;
        var bio = accountId is null ? null : await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Bio).FirstOrDefaultAsync(ct);
        bio ??= e?.Account?.Bio;

        var versions = await db.ContentVersions.AsNoTracking().Where(v => v.ContentId == c.ContentId).OrderByDescending(v => v.Version).Take(NoticeVersions)
            .Select(v => new { v.Version, v.EventJson, v.ReceivedAt }).ToListAsync(ct);
        var notices = new List<CaseNotice>();
        foreach (var v in versions)
            if (ReviewCases.ReadEvent(v.EventJson)?.Source is { Type: { } type } s && NoticeSignalTypes.Sources.Contains(type, StringComparer.Ordinal))
                notices.Add(new CaseNotice(v.Version, type, type == "user_report" || string.IsNullOrWhiteSpace(s.Name) ? null : s.Name.Trim(), s.Reference, v.ReceivedAt));

        // DSA notices (Core/Notices) about this item, newest first, with the trusted flagger's organisation.
        var reports = await (from n in db.Set<Notices.NoticeRow>().AsNoTracking().Where(n => n.ContentId == c.ContentId)
                             join f in db.Set<Notices.TrustedFlaggerRow>().AsNoTracking() on n.TrustedFlaggerId equals (long?)f.Id into flaggers
                             from f in flaggers.DefaultIfEmpty()
                             orderby n.Id descending
                             select new CaseReport(n.Id, n.Source, n.TrustedFlaggerId != null, f == null ? null : f.Organisation, n.Explanation, n.Status, n.ReceivedAt))
            .Take(NoticeVersions).ToListAsync(ct);

        CaseParent? parent = null;
        if (e?.ParentId is { Length: > 0 } parentId)
        {
            var latest = await db.ContentVersions.AsNoTracking().Where(v => v.ContentId == parentId).OrderByDescending(v => v.Version)
                .Select(v => new { v.EventJson, v.ReceivedAt }).FirstOrDefaultAsync(ct);
            if (latest is not null && ReviewCases.ReadEvent(latest.EventJson) is { } pe)
                parent = new CaseParent(parentId, pe.Kind, pe.Text, pe.Account?.Id, pe.Account?.Handle, latest.ReceivedAt);
        }
        return new CaseContext(string.IsNullOrWhiteSpace(bio) ? null : bio, notices, e?.ParentId, parent, reports);
    }

    /// <summary>Previews of the given cases (a queue page's rows): two reads whatever the page size.</summary>
    public async Task<IReadOnlyDictionary<long, CasePreview>> PreviewsAsync(IReadOnlyCollection<long> caseIds, CancellationToken ct)
    {
        if (caseIds.Count == 0) return new Dictionary<long, CasePreview>();
        await using var db = dbs.Create();
        var ids = caseIds.ToList();
        var cases = await db.Set<ReviewCaseRow>().AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new { x.Id, x.ContentVersionId }).ToListAsync(ct);
        var versionIds = cases.Select(x => x.ContentVersionId).Distinct().ToList();
        var events = await db.ContentVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).Select(v => new { v.Id, v.EventJson }).ToDictionaryAsync(v => v.Id, v => v.EventJson, ct);
        var previews = new Dictionary<long, CasePreview>(cases.Count);
        foreach (var x in cases)
        {
            var e = events.TryGetValue(x.ContentVersionId, out var j) ? ReviewCases.ReadEvent(j) : null;
            var media = e?.Media ?? [];
            var image = media.FindIndex(m => m.MimeType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true && m.Sha256 is not null);
            previews[x.Id] = new CasePreview(x.Id, FirstLine(e?.Text ?? e?.Transcript), image < 0 ? null : image, media.Count);
        }
        return previews;
    }

    /// <summary>The first non-blank line, cut at <see cref="PreviewChars"/> characters (never inside a surrogate pair) with an ellipsis.</summary>
    public static string? FirstLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var line = text.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0);
        if (line.Length <= PreviewChars) return line;
        var cut = char.IsHighSurrogate(line[PreviewChars - 1]) ? PreviewChars - 1 : PreviewChars;
        return line[..cut] + "…";
    }
}
