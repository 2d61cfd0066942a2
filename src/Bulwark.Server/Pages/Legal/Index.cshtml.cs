using Bulwark.Core.Records.Preservation;
using Bulwark.Server.ConsoleUi;

namespace Bulwark.Server.Pages.Legal;

/// <summary>Preserved content (Reg. 2021/784 Art. 6) for legal officers; auditors read. Every listing is itself audited.</summary>
public sealed class LegalModel(PreservationService preservation) : ConsolePageModel
{
    public const int PageSize = 100;
    public IReadOnlyList<PreservedItemSummary> Items { get; private set; } = [];
    public long? Next { get; private set; }

    public async Task OnGetAsync(long after, CancellationToken ct)
    {
        Items = await preservation.ListAsync(Actor, null, Math.Max(0, after), PageSize, ct);
        Next = Items.Count == PageSize ? Items[^1].Id : null;
    }
}
