using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Bulwark.Server.Pages;

/// <summary>
/// The console's error pages (re-executed with the original status and method). A refusal says who is signed in and which
/// roles the page or action needs. No antiforgery check: a refused forged POST must still get this page, not a 400.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : ConsolePageModel
{
    public int Code { get; private set; }
    public string? SignedInAs { get; private set; }
    public string Roles { get; private set; } = "";
    public ConsoleArea? Area { get; private set; }
    public bool Writing { get; private set; }

    public Task OnGetAsync(int code) => ShowAsync(code);
    public Task OnPostAsync(int code) => ShowAsync(code);

    private async Task ShowAsync(int code)
    {
        Code = code is >= 400 and <= 599 ? code : 404;
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        if (original is not null) Response.StatusCode = Code;
        var auth = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (auth.Principal?.Identity?.IsAuthenticated == true)
        {
            SignedInAs = auth.Principal.Identity.Name;
            Roles = string.Join(", ", auth.Principal.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value));
        }
        Area = ConsoleAreas.ForPath(original?.OriginalPath);
        Writing = !HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method);
    }
}
