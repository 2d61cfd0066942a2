using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuthoritiesNoticesExchanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "competent_authorities",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    member_state = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    competences = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    contact = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    fallback = table.Column<bool>(type: "boolean", nullable: false),
                    example = table.Column<bool>(type: "boolean", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_competent_authorities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_alerts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    exchange = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    alert_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    group = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    tier = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    found_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    content_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_alerts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_feedback",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    exchange = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    item_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    opinion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    review_case_id = table.Column<long>(type: "bigint", nullable: true),
                    decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_feedback", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_fetches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    exchange = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    full_refetch = table.Column<bool>(type: "boolean", nullable: false),
                    pages = table.Column<int>(type: "integer", nullable: false),
                    created = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    deleted = table.Column<int>(type: "integer", nullable: false),
                    unknown_deletes = table.Column<int>(type: "integer", nullable: false),
                    skipped = table.Column<int>(type: "integer", nullable: false),
                    alerts = table.Column<int>(type: "integer", nullable: false),
                    checkpoint_before = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    checkpoint_after = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_fetches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    exchange = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    item_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    signal_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    value = table.Column<string>(type: "text", nullable: false),
                    bank_entry_id = table.Column<long>(type: "bigint", nullable: false),
                    deleted = table.Column<bool>(type: "boolean", nullable: false),
                    disputed = table.Column<bool>(type: "boolean", nullable: false),
                    references_json = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_publications",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    bank = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    labels_json = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_publications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "exchange_states",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    checkpoint = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    checkpoint_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    status_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_fetch_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_success_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    flood_window_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    flood_window_matches = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exchange_states", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "notices",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    trusted_flagger_id = table.Column<long>(type: "bigint", nullable: true),
                    content_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    explanation = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: false),
                    notifier_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    notifier_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    notifier_key = table.Column<string>(type: "character varying(340)", maxLength: 340, nullable: true),
                    good_faith = table.Column<bool>(type: "boolean", nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    open_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    case_id = table.Column<long>(type: "bigint", nullable: true),
                    decision_id = table.Column<long>(type: "bigint", nullable: true),
                    matched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    policy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    decision_summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    manifestly_unfounded = table.Column<bool>(type: "boolean", nullable: false),
                    unfounded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    unfounded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    repeats = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notices", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notifier_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    notice_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    recipient = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifier_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notifier_measures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    notifier_key = table.Column<string>(type: "character varying(340)", maxLength: 340, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    imposed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    imposed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    appealed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    appeal_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    appeal_outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    appeal_decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lifted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifier_measures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "removal_order_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    value = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    content_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    decision_id = table.Column<long>(type: "bigint", nullable: true),
                    matched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    executed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reinstated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_removal_order_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "removal_orders",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    authority_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    member_state = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ground = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    legal_basis = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    reasons = table.Column<string>(type: "text", nullable: false),
                    defer_informing_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cross_border = table.Column<bool>(type: "boolean", nullable: false),
                    feedback_contact = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    needs_confirmation = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    executed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    alerted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    breached_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    breach_cause = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    feedback_json = table.Column<string>(type: "text", nullable: true),
                    feedback_sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    feedback_delivery = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    impossible_ground = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    impossible_reasons = table.Column<string>(type: "text", nullable: true),
                    annex_i_i_i_json = table.Column<string>(type: "text", nullable: true),
                    annex_i_i_i_sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    annex_i_i_i_delivery = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    provider_informed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    scrutiny_outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    scrutiny_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    scrutiny_note = table.Column<string>(type: "text", nullable: true),
                    scrutiny_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reinstate_due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reinstated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    authority_informed_of_reinstatement_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_removal_orders", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "trusted_flaggers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organisation = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    expertise = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    awarding_coordinator = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    contact_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trusted_flaggers", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_competent_authorities_member_state",
                table: "competent_authorities",
                column: "member_state");

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

            migrationBuilder.CreateIndex(
                name: "IX_notices_case_id",
                table: "notices",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "IX_notices_decision_id",
                table: "notices",
                column: "decision_id");

            migrationBuilder.CreateIndex(
                name: "IX_notices_notifier_key_manifestly_unfounded",
                table: "notices",
                columns: new[] { "notifier_key", "manifestly_unfounded" });

            migrationBuilder.CreateIndex(
                name: "IX_notices_open_key",
                table: "notices",
                column: "open_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notices_received_at",
                table: "notices",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "IX_notices_status_id",
                table: "notices",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_notices_trusted_flagger_id",
                table: "notices",
                column: "trusted_flagger_id");

            migrationBuilder.CreateIndex(
                name: "IX_notifier_deliveries_notice_id",
                table: "notifier_deliveries",
                column: "notice_id");

            migrationBuilder.CreateIndex(
                name: "IX_notifier_deliveries_status_next_attempt_at",
                table: "notifier_deliveries",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_notifier_measures_notifier_key_imposed_at",
                table: "notifier_measures",
                columns: new[] { "notifier_key", "imposed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_removal_order_items_order_id",
                table: "removal_order_items",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "IX_removal_order_items_status_content_id",
                table: "removal_order_items",
                columns: new[] { "status", "content_id" });

            migrationBuilder.CreateIndex(
                name: "IX_removal_orders_authority_id_reference",
                table: "removal_orders",
                columns: new[] { "authority_id", "reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_removal_orders_received_at",
                table: "removal_orders",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "IX_removal_orders_status_due_at",
                table: "removal_orders",
                columns: new[] { "status", "due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_trusted_flaggers_organisation",
                table: "trusted_flaggers",
                column: "organisation",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "competent_authorities");

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

            migrationBuilder.DropTable(
                name: "notices");

            migrationBuilder.DropTable(
                name: "notifier_deliveries");

            migrationBuilder.DropTable(
                name: "notifier_measures");

            migrationBuilder.DropTable(
                name: "removal_order_items");

            migrationBuilder.DropTable(
                name: "removal_orders");

            migrationBuilder.DropTable(
                name: "trusted_flaggers");
        }
    }
}
