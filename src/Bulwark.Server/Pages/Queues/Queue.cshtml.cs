using Bulwark.Core.Actions.Review;
using Bulwark.Core.Policy;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Queues;

/// <summary>
/// One queue in rank order with keyset paging; claim next, claim a row, or select rows and give them one decision (bulk,
/// at most <see cref="ReviewOptions.MaxBulkCases"/>), with a result per case. A page shows 50 rows by default; 200 or 1,000
/// (<see cref="PageSizes"/>) let a moderator select up to a full bulk decision's worth of cases they can all see.
/// </summary>
public sealed class QueueModel(ReviewQueueService queues, ReviewDecisionService decisions, WellnessService wellness, PolicyStore policies, ReviewOptions options,
    CaseContextService contexts, Bulwark.Core.Storage.IBulwarkDbFactory dbs, IStringLocalizer<ReviewText> t) : ConsolePageModel
{
    public const int PageSize = 50;

    /// <summary>The rows-per-page choices; the largest is the bulk limit's default, so one page can fill one bulk decision.</summary>
    public static readonly int[] PageSizes = [PageSize, 200, 1000];

    public string Name { get; private set; } = "";
    public QueueSettings Settings { get; private set; } = null!;
    public bool MayWork { get; private set; }
    public ReviewPage? Items { get; private set; }
    public string? Cursor { get; private set; }
    public DecisionChoices Choices { get; private set; } = null!;
    public ReviewStretch? Stretch { get; private set; }
    public string SubmissionId { get; } = ReviewUi.NewSubmissionId();
    public IReadOnlyList<BulkReviewItem>? BulkResults { get; private set; }
    /// <summary>The summary of a bulk decision not yet recorded: counts over every case's plan, to be confirmed.</summary>
    public (BulkSummary Summary, IReadOnlyList<BulkPreviewItem> Items, BulkReviewRequest Request)? BulkPreview { get; private set; }
    public int MaxBulk => options.MaxBulkCases;
    public int Size { get; private set; } = PageSize;
    /// <summary>Each row's first line of text and first picture (shown blurred and greyscale as the user's preferences say).</summary>
    public IReadOnlyDictionary<long, CasePreview> Previews { get; private set; } = new Dictionary<long, CasePreview>();
    public WellnessPreferences Preferences { get; private set; } = null!;
    /// <summary>Of the cases a bulk decision covers, those nobody has claimed (so nobody opened them to decide them).</summary>
    public int NeverClaimed { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name, string? after, string? size, CancellationToken ct)
    {
        Cursor = after;
        ReadSize(size);
        return await LoadAsync(name, ct);
    }

    public async Task<IActionResult> OnPostClaimNextAsync(string name, CancellationToken ct)
    {
        var claim = await queues.ClaimNextAsync(name, User.ReviewUser(), ct);
        if (claim.Ok) return Redirect($"/cases/{claim.Value!.CaseId}");
        Flash(claim.Error == ReviewError.Empty ? t["Queue.Empty", name] : ReviewUi.Refusal(t, claim.Why, claim.Message));
        return Redirect($"/queues/{Uri.EscapeDataString(name)}");
    }

    public async Task<IActionResult> OnPostClaimAsync(string name, long caseId, CancellationToken ct)
    {
        var claim = await queues.ClaimAsync(caseId, User.ReviewUser(), ct);
        if (claim.Ok) return Redirect($"/cases/{caseId}");
        Flash(claim.Message!);
        return Redirect($"/queues/{Uri.EscapeDataString(name)}");
    }

    /// <summary>One decision for the selected cases; each case is decided and audited on its own, and reported on its own.</summary>
    public async Task<IActionResult> OnPostBulkAsync(string name, long[] ids, string? verdict, string? policy, string[]? actions, string? exception, string? note,
        string? submissionId, string? size, string? confirmSummary, int? confirmedCases, int? confirmedRemovals, int? confirmedStrikes, int? confirmedSuspensions,
        int? confirmedBans, int? confirmedRefused, CancellationToken ct)
    {
        ReadSize(size);
        // The measures belong to a violation; other verdicts take none, whatever is ticked.
        var request = new BulkReviewRequest(ids, verdict, string.IsNullOrEmpty(policy) ? null : policy, verdict == ReviewVerdict.Violation ? actions : null, string.IsNullOrEmpty(exception) ? null : exception, note, submissionId);
        // Nothing drastic happens implicitly: the first submission shows what the bulk decision does (removals, strikes,
        // suspensions, bans, refusals), and only a confirmation of that summary records it.
        if (confirmSummary != "on" || confirmedCases is null)
        {
            if (ids.Length > 0 && ids.Length <= options.MaxBulkCases)
            {
                var (summary, items) = await decisions.PreviewBulkAsync(request, User.ReviewUser(), ct);
                BulkPreview = (summary, items, request);
                await using (var db = dbs.Create())
                {
                    var selected = ids.ToList();
                    NeverClaimed = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
                        db.Set<ReviewCaseRow>().Where(c => selected.Contains(c.Id) && c.ClaimedAt == null), ct);
                }
                if (confirmedCases is not null) Errors.Add(t["Bulk.ConfirmFirst"]);
                return await LoadAsync(name, ct);
            }
        }
        else request = request with { Confirmed = new BulkSummary(confirmedCases.Value, confirmedRemovals ?? 0, confirmedStrikes ?? 0, confirmedSuspensions ?? 0, confirmedBans ?? 0, confirmedRefused ?? 0) };
        var result = await decisions.DecideBulkAsync(request, User.ReviewUser(), ct);
        if (result.Ok) BulkResults = result.Value;
        else
        {
            Errors.Add(ReviewUi.Refusal(t, result.Why, result.Message));
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return await LoadAsync(name, ct);
    }

    /// <summary>"3 decided, 1 already decided or claimed by someone else, 1 refused".</summary>
    public string BulkSummary()
    {
        var r = BulkResults ?? [];
        var parts = new List<string> { t["Bulk.Decided", r.Count(x => x.Error == ReviewError.None)] };
        if (r.Count(x => x.Error == ReviewError.Stale) is > 0 and var stale) parts.Add(t["Bulk.Stale", stale]);
        if (r.Count(x => x.Error is not (ReviewError.None or ReviewError.Stale)) is > 0 and var refused) parts.Add(t["Bulk.Refused", refused]);
        return string.Join(", ", parts);
    }

    /// <summary>Rows per page from the query or form: one of <see cref="PageSizes"/>; anything else is named and the default used.</summary>
    private void ReadSize(string? size)
    {
        if (string.IsNullOrEmpty(size)) return;
        if (int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && PageSizes.Contains(n)) Size = n;
        else Errors.Add(t["Queue.BadSize", size.Length > 20 ? size[..20] + "…" : size, string.Join(", ", PageSizes.Select(n => Display.Number(n))), PageSize]);
    }

    private async Task<IActionResult> LoadAsync(string name, CancellationToken ct)
    {
        var user = User.ReviewUser();
        if (name.Length is 0 or > 64 || !name.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')) return NotFound();
        Name = name;
        Settings = options.Queue(name);
        MayWork = Settings.MayWork(user.Roles);
        if (!MayWork && !user.Roles.Contains(Bulwark.Core.Security.ConsoleRoles.Auditor)) return StatusCode(StatusCodes.Status403Forbidden);
        var page = await queues.ListAsync(name, Cursor, Size, ct, user);
        if (!page.Ok)
        {
            Errors.Add(page.Message!);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        Items = page.Value;
        Previews = Items is { } p ? await contexts.PreviewsAsync(p.Items.Select(i => i.Id).ToList(), ct) : new Dictionary<long, CasePreview>();
        Preferences = await wellness.PreferencesAsync(user.Name, ct);
        Choices = await DecisionChoices.LoadAsync(policies, options, user, ct);
        Stretch = await wellness.StretchAsync(user.Name, ct);
        return Page();
    }
}
