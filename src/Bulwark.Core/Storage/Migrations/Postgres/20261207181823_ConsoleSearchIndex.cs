using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConsoleSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_accounts_handle",
                table: "accounts",
                column: "handle");

            // The console search index (FTS5 / tsvector + GIN) and the triggers that keep it: Actions/Review/Search/ContentSearchIndex.cs.
            migrationBuilder.Sql(Bulwark.Core.Actions.Review.Search.ContentSearchIndex.PostgresUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Bulwark.Core.Actions.Review.Search.ContentSearchIndex.PostgresDown);

            migrationBuilder.DropIndex(
                name: "IX_accounts_handle",
                table: "accounts");
        }
    }
}
