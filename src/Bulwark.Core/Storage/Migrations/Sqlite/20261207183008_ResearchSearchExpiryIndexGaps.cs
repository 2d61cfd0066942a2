using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ResearchSearchExpiryIndexGaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "created_at",
                table: "research_search_pages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "research_index_gaps",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false),
                    noted_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_index_gaps", x => x.version_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_research_search_pages_created_at",
                table: "research_search_pages",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "research_index_gaps");

            migrationBuilder.DropIndex(
                name: "IX_research_search_pages_created_at",
                table: "research_search_pages");

            migrationBuilder.DropColumn(
                name: "created_at",
                table: "research_search_pages");
        }
    }
}
