using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AppealsPreservation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reversed_at",
                table: "decisions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reviewed_by",
                table: "decisions",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "appeals",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    decision_id = table.Column<long>(type: "bigint", nullable: false),
                    content_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    content_version_id = table.Column<long>(type: "bigint", nullable: false),
                    account_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    policy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    reason = table.Column<string>(type: "text", nullable: false),
                    submitted_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decision_automated = table.Column<bool>(type: "boolean", nullable: false),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    statement = table.Column<string>(type: "text", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    effects = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_appeals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "preservation_files",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    mime_type = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    available = table.Column<bool>(type: "boolean", nullable: false),
                    note = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_preservation_files", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "preservation_holds",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    placed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    released_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    release_reason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_preservation_holds", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "preservation_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    decision_id = table.Column<long>(type: "bigint", nullable: false),
                    content_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    content_version_id = table.Column<long>(type: "bigint", nullable: false),
                    account_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    policy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    cause = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    preserved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    event_json = table.Column<string>(type: "text", nullable: true),
                    signals_json = table.Column<string>(type: "text", nullable: true),
                    decision_json = table.Column<string>(type: "text", nullable: true),
                    account_json = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_preservation_items", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_appeals_content_id",
                table: "appeals",
                column: "content_id");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_decision_id",
                table: "appeals",
                column: "decision_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_appeals_received_at",
                table: "appeals",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_status_id",
                table: "appeals",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_preservation_files_item_id_sha256",
                table: "preservation_files",
                columns: new[] { "item_id", "sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_preservation_holds_item_id",
                table: "preservation_holds",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "IX_preservation_items_content_id",
                table: "preservation_items",
                column: "content_id");

            migrationBuilder.CreateIndex(
                name: "IX_preservation_items_decision_id",
                table: "preservation_items",
                column: "decision_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_preservation_items_expires_at",
                table: "preservation_items",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "IX_preservation_items_status_id",
                table: "preservation_items",
                columns: new[] { "status", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "appeals");

            migrationBuilder.DropTable(
                name: "preservation_files");

            migrationBuilder.DropTable(
                name: "preservation_holds");

            migrationBuilder.DropTable(
                name: "preservation_items");

            migrationBuilder.DropColumn(
                name: "reversed_at",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "reviewed_by",
                table: "decisions");
        }
    }
}
