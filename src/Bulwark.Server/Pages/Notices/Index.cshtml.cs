using Bulwark.Core.Notices;
using Bulwark.Server.ConsoleUi;

namespace Bulwark.Server.Pages.Notices;

/// <summary>Notices (DSA Art. 16), newest first, filtered by status: where each one is, its case and what was decided.</summary>
public sealed class NoticesModel(NoticeQueries queries, TrustedFlaggers flaggers) : ConsolePageModel
{
    public static readonly IReadOnlyList<string> Statuses = [NoticeStatus.AwaitingContent, NoticeStatus.InReview, NoticeStatus.Decided, NoticeStatus.NotProcessed];
    public IReadOnlyList<NoticeRow> Items { get; private set; } = [];
    public IReadOnlyDictionary<long, string> FlaggerNames { get; private set; } = new Dictionary<long, string>();
    public string? Status { get; private set; }
    public IReadOnlyList<NotifierMeasureRow> Measures { get; private set; } = [];

    public async Task OnGetAsync(string? status, long? flagger, CancellationToken ct)
    {
        Status = status is not null && Statuses.Contains(status) ? status : null;
        Items = await queries.ListAsync(Status, null, flagger, 200, ct);
        FlaggerNames = (await flaggers.ListAsync(ct)).ToDictionary(f => f.Flagger.Id, f => f.Flagger.Organisation);
        Measures = await queries.MeasuresAsync(ct);
    }
}
