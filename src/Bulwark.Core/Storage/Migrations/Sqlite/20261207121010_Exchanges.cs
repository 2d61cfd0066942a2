using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Exchanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "exchange_alerts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    exchange = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    alert_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    group = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    tier = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    found_at = table.Column<long>(type: "INTEGER", nullable: true),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    content_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_alerts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_feedback",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    exchange = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    item_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    opinion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    review_case_id = table.Column<long>(type: "INTEGER", nullable: true),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_feedback", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_fetches",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    exchange = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    full_refetch = table.Column<bool>(type: "INTEGER", nullable: false),
                    pages = table.Column<int>(type: "INTEGER", nullable: false),
                    created = table.Column<int>(type: "INTEGER", nullable: false),
                    updated = table.Column<int>(type: "INTEGER", nullable: false),
                    deleted = table.Column<int>(type: "INTEGER", nullable: false),
                    unknown_deletes = table.Column<int>(type: "INTEGER", nullable: false),
                    skipped = table.Column<int>(type: "INTEGER", nullable: false),
                    alerts = table.Column<int>(type: "INTEGER", nullable: false),
                    checkpoint_before = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    checkpoint_after = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_fetches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    exchange = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    item_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    signal_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false),
                    bank_entry_id = table.Column<long>(type: "INTEGER", nullable: false),
                    deleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    disputed = table.Column<bool>(type: "INTEGER", nullable: false),
                    references_json = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_publications",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    bank = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    labels_json = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    withdrawn_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_publications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_states",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    checkpoint = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    checkpoint_at = table.Column<long>(type: "INTEGER", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    status_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    status_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    status_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_fetch_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_success_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    flood_window_start = table.Column<long>(type: "INTEGER", nullable: true),
                    flood_window_matches = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_states", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_exchange_alerts_content_id",
                table: "exchange_alerts",
                column: "content_id");

            migrationBuilder.CreateIndex(
                name: "IX_exchange_alerts_exchange_alert_id",
                table: "exchange_alerts",
                columns: new[] { "exchange", "alert_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_exchange_feedback_exchange_item_id_review_case_id",
                table: "exchange_feedback",
                columns: new[] { "exchange", "item_id", "review_case_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_exchange_feedback_status_next_attempt_at",
                table: "exchange_feedback",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_exchange_fetches_exchange_id",
                table: "exchange_fetches",
                columns: new[] { "exchange", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_exchange_items_bank_entry_id",
                table: "exchange_items",
                column: "bank_entry_id");

            migrationBuilder.CreateIndex(
                name: "IX_exchange_items_exchange_item_id_signal_type",
                table: "exchange_items",
                columns: new[] { "exchange", "item_id", "signal_type" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_exchange_publications_name",
                table: "exchange_publications",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "exchange_alerts");

            migrationBuilder.DropTable(
                name: "exchange_feedback");

            migrationBuilder.DropTable(
                name: "exchange_fetches");

            migrationBuilder.DropTable(
                name: "exchange_items");

            migrationBuilder.DropTable(
                name: "exchange_publications");

            migrationBuilder.DropTable(
                name: "exchange_states");
        }
    }
}
