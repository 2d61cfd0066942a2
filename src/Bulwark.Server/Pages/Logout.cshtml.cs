using Bulwark.Core.Security.Users;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Bulwark.Server.Pages;

/// <summary>Sign-out is a POST (with the antiforgery token), so a link on another site cannot sign a moderator out.</summary>
public sealed class LogoutModel(SignInManager<ConsoleUser> signIn, ConsoleUserService users) : ConsolePageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var name = Actor;
        await signIn.SignOutAsync();
        await users.RecordSignOutAsync(name, ct);
        return RedirectToPage("/Login");
    }
}
