using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Security;
using Bulwark.Server.ConsoleUi;

namespace Bulwark.Server.Pages.Authorities;

/// <summary>Removal orders, newest first, with their clock; the console-wide banner lists those past the alert time.</summary>
public sealed class OrdersModel(RemovalOrderService orders, TimeProvider clock) : ConsolePageModel
{
    public IReadOnlyList<RemovalOrderView> Orders { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public bool CanAct => User.IsInRole(ConsoleRoles.LegalOfficer);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Orders = await orders.ListAsync(null, null, 200, ct);
    }
}
