using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReviewClaimIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_review_cases_claimed_by_claimed_at",
                table: "review_cases",
                columns: new[] { "claimed_by", "claimed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_review_cases_claimed_by_claimed_at",
                table: "review_cases");
        }
    }
}
