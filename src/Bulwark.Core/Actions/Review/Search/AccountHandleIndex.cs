using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Actions.Review.Search;

/// <summary>Search looks accounts up by handle (<c>@handle</c>); without this index that is a scan of every account.</summary>
internal sealed class AccountHandleIndexConfiguration : IEntityTypeConfiguration<AccountRow>
{
    public void Configure(EntityTypeBuilder<AccountRow> e) => e.HasIndex(x => x.Handle);
}
