using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Reports.Research;

/// <summary>Researcher access (<c>Bulwark:Research</c>): defaults for new projects and the privacy floor.</summary>
public sealed class ResearchOptions
{
    public const string Section = "Bulwark:Research";

    /// <summary>Requests per project per UTC day (TikTok's Research API: 1,000).</summary>
    [Range(1, 10_000_000)] public int DailyRequests { get; set; } = 1_000;
    /// <summary>Records per project per UTC day (TikTok's Research API: 100,000).</summary>
    [Range(1, 100_000_000)] public int DailyRecords { get; set; } = 100_000;
    [Range(1, 100_000)] public int PerMinute { get; set; } = 60;
    /// <summary>Aggregate cells below this count are suppressed.</summary>
    [Range(2, 1_000)] public int SuppressionFloor { get; set; } = 10;
    [Range(1, 1_000)] public int MaxCount { get; set; } = 100;
    [Range(1, 366)] public int MaxWindowDays { get; set; } = 30;
    [Range(1, 3_660)] public int MaxAggregateWindowDays { get; set; } = 366;
    /// <summary>Access token lifetime (TikTok: two hours).</summary>
    [Range(60, 86_400)] public int TokenSeconds { get; set; } = 7_200;
    /// <summary>Windows of 500 versions a new search or an aggregate may index inline before it answers; the background worker does the rest.</summary>
    [Range(0, 1_000)] public int InlineCatchUpBatches { get; set; } = 4;
    /// <summary>A new search or aggregate answers <c>index_catching_up</c> while a version older than this is not yet indexed.</summary>
    [Range(1, 86_400)] public int MaxIndexLagSeconds { get; set; } = 60;
    /// <summary>
    /// Days a page's cursor stays usable with its <c>search_id</c>; after that the cursor is refused and the search is re-run from
    /// cursor 0 (same snapshot, same order). The search itself lasts as long as its project.
    /// </summary>
    [Range(1, 3_660)] public int CursorDays { get; set; } = 7;
    /// <summary>Minutes between runs of the job that forgets expired cursors and the searches of projects that have ended.</summary>
    [Range(1, 10_080)] public int SearchExpiryMinutes { get; set; } = 60;
    /// <summary>Collaborators a project may have besides its principal.</summary>
    [Range(0, 100)] public int MaxCollaborators { get; set; } = 9;
}
