using Bulwark.Core.Actions.Review;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Search;

/// <summary>
/// Search by content id, account id or handle, media hash or text, with results the user's roles allow; from a result a
/// moderator opens a case in a queue they work (audited, with a reason). The service checks the roles again.
/// </summary>
public sealed class SearchIndexModel(CaseSearchService search, ReviewQueueService queues, IStringLocalizer<ReviewText> t) : ConsolePageModel
{
    public string Query { get; private set; } = "";
    public string Kind { get; private set; } = SearchKinds.Auto;
    public SearchResults? Results { get; private set; }
    /// <summary>Queues the user may open a case in (review queues they work, not appeals or QA).</summary>
    public IReadOnlyList<string> OpenQueues { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? q, string? kind, CancellationToken ct)
    {
        Query = q ?? "";
        Kind = string.IsNullOrEmpty(kind) ? SearchKinds.Auto : kind;
        await LoadQueuesAsync(ct);
        if (q is null) return Page();
        var found = await search.SearchAsync(q, kind, User.ReviewUser(), ct);
        if (found.Ok) Results = found.Value;
        else
        {
            Errors.Add(found.Message!);
            Response.StatusCode = found.Error == ReviewError.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostOpenCaseAsync(string? contentId, string? queue, string? reason, string? q, string? kind, CancellationToken ct)
    {
        var opened = await search.OpenCaseAsync(contentId ?? "", queue, reason, User.ReviewUser(), ct);
        if (opened.Ok)
        {
            Flash(t["Search.Opened", opened.Value, queue ?? "review"]);
            return Redirect($"/cases/{opened.Value}");
        }
        Errors.Add(opened.Message!);
        Errors.Add(t["Decide.NothingRecorded"]);
        var status = opened.Error switch
        {
            ReviewError.Forbidden => StatusCodes.Status403Forbidden,
            ReviewError.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        await OnGetAsync(string.IsNullOrEmpty(q) ? contentId : q, kind, ct);
        Response.StatusCode = status;
        return Page();
    }

    private async Task LoadQueuesAsync(CancellationToken ct)
    {
        var user = User.ReviewUser();
        OpenQueues = (await queues.DashboardAsync(user, ct)).Where(r => r.MayWork && !ReviewQueueService.IsAboutAnotherReview(r.Queue)).Select(r => r.Queue).ToList();
    }
}
