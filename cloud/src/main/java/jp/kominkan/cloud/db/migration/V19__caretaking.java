package jp.kominkan.cloud.db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Caretaking (issue 14): each door's state, alarms, remote unlocks and shelter codes (避難所), and the
 * booking a door event belongs to. The grant stream learns a third kind of entry, {@code unlock}, which
 * names a remote unlock instead of a grant; V2 declared the kind's check without a name, and H2 and
 * PostgreSQL name such a constraint differently, so it is found by its text in the information schema
 * both share, dropped and declared again with a name (as V17 does for room_block). A grant is a
 * booking's or a shelter code's. Every statement runs unchanged on H2 2.x and PostgreSQL 15+; the
 * tables and why: docs/caretaking.md.
 */
public final class V19__caretaking extends BaseJavaMigration {

    private static final String[] STATEMENTS = {
        // A door event's booking, worked out by the cloud when it stores the event (the grant's, or the
        // booking of the door's room around that time), so a booking's detail lists its door history.
        "alter table door_event add column reservation_id uuid",
        "create index door_event_reservation_ix on door_event (reservation_id, occurred_at)",

        // Each door's state, folded from its events by jp.kominkan.shared.door.DoorState; owned by door.DoorStates.
        """
        create table door_state (
            door_id             varchar(64)              primary key references door (id),
            lock_state          varchar(10)              not null,
            contact_state       varchar(10)              not null,
            ajar                boolean                  not null,
            forced              boolean                  not null,
            tamper              boolean                  not null,
            lock_online         boolean                  not null,
            battery             int,
            locked_out_until    timestamp with time zone,
            remote_until        timestamp with time zone,
            last_event_id       uuid,
            last_event_type     varchar(20),
            last_event_at       timestamp with time zone,
            last_reservation_id uuid,
            updated_at          timestamp with time zone not null,
            constraint door_state_battery_ck check (battery between 0 and 100)
        )""",

        // Remote unlocks by caretakers (owned by door.RemoteUnlocks): each is a stream entry to the
        // door's gateway, and its own record in the operation log.
        """
        create table remote_unlock (
            id              uuid                     primary key,
            municipality_id bigint                   not null,
            facility_id     bigint                   not null,
            door_id         varchar(64)              not null references door (id),
            gateway_id      varchar(64)              not null references gateway (id),
            staff_id        uuid                     not null references staff_account (id),
            reason          varchar(200)             not null,
            requested_at    timestamp with time zone not null,
            until_at        timestamp with time zone not null,
            stream_seq      bigint                   not null,
            opened_at       timestamp with time zone,
            constraint remote_unlock_facility_fk foreign key (municipality_id, facility_id)
                references facility (municipality_id, id)
        )""",
        "create index remote_unlock_door_ix on remote_unlock (door_id, requested_at)",

        // Shelter and emergency codes (避難所): a facility's master code for a disaster-response group or
        // the fire brigade, a signed grant on every door of the facility (owned by shelter.ShelterCodes).
        // The code itself is shown once to the administrator who issues it and never stored.
        """
        create table shelter_code (
            id              uuid                     primary key,
            municipality_id bigint                   not null,
            facility_id     bigint                   not null,
            holder          varchar(100)             not null,
            valid_from      timestamp with time zone not null,
            valid_until     timestamp with time zone not null,
            issued_by       uuid                     not null references staff_account (id),
            issued_at       timestamp with time zone not null,
            revoked_at      timestamp with time zone,
            revoked_by      uuid                     references staff_account (id),
            constraint shelter_code_facility_fk foreign key (municipality_id, facility_id)
                references facility (municipality_id, id),
            constraint shelter_code_window_ck check (valid_until > valid_from)
        )""",
        "create index shelter_code_facility_ix on shelter_code (facility_id)",
        "alter table access_grant alter column reservation_id drop not null",
        "alter table access_grant add column shelter_code_id uuid references shelter_code (id)",
        """
        alter table access_grant add constraint access_grant_owner_ck
            check ((reservation_id is null) <> (shelter_code_id is null))""",

        "alter table grant_stream alter column grant_id drop not null",
        "alter table grant_stream add column unlock_id uuid references remote_unlock (id)",
        """
        alter table grant_stream add constraint grant_stream_subject_ck
            check ((kind = 'unlock' and unlock_id is not null and grant_id is null)
                or (kind <> 'unlock' and grant_id is not null and unlock_id is null))""",

        // Alarms (owned by alarm.AlarmRepository). open_key is the dedupe key while the alarm is neither
        // acknowledged nor cleared and null after, so the database keeps one open alarm per key (a
        // unique column allows many nulls on both engines) however many events repeat it.
        """
        create table door_alarm (
            id              uuid                     primary key,
            municipality_id bigint                   not null,
            facility_id     bigint                   not null,
            kind            varchar(30)              not null,
            dedupe_key      varchar(200)             not null,
            open_key        varchar(200),
            door_id         varchar(64)              references door (id),
            gateway_id      varchar(64)              references gateway (id),
            reservation_id  uuid,
            event_id        uuid,
            detail          varchar(200),
            raised_at       timestamp with time zone not null,
            last_at         timestamp with time zone not null,
            occurrences     int                      not null,
            escalated_at    timestamp with time zone,
            acknowledged_at timestamp with time zone,
            acknowledged_by uuid                     references staff_account (id),
            note            varchar(500),
            cleared_at      timestamp with time zone,
            constraint door_alarm_open_uq unique (open_key),
            constraint door_alarm_facility_fk foreign key (municipality_id, facility_id)
                references facility (municipality_id, id),
            constraint door_alarm_kind_ck check (kind in ('forced-open', 'held-open', 'tamper', 'jammed',
                'battery-low', 'lock-offline', 'gateway-offline', 'lockout', 'left-open', 'shelter-code-used'))
        )""",
        "create index door_alarm_facility_ix on door_alarm (facility_id, raised_at)",
        "create index door_alarm_escalation_ix on door_alarm (acknowledged_at, escalated_at, raised_at)",
        "create index door_alarm_dedupe_ix on door_alarm (dedupe_key)",
        "create index door_alarm_reservation_ix on door_alarm (reservation_id)",
    };

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        List<String> names = new ArrayList<>();
        try (Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("""
                     select tc.constraint_name, cc.check_clause from information_schema.table_constraints tc
                       join information_schema.check_constraints cc on cc.constraint_name = tc.constraint_name
                      where lower(tc.table_name) = 'grant_stream' and tc.constraint_type = 'CHECK'""")) {
            while (rows.next()) {
                if (rows.getString(2).contains("revoke")) {
                    names.add(rows.getString(1));
                }
            }
        }
        if (names.size() != 1) {
            throw new IllegalStateException("Expected one check on grant_stream.kind, found " + names);
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("alter table grant_stream drop constraint \"" + names.get(0) + "\"");
            sql.execute("alter table grant_stream add constraint grant_stream_kind_ck"
                    + " check (kind in ('issue', 'revoke', 'unlock'))");
            for (String statement : STATEMENTS) {
                sql.execute(statement);
            }
        }
    }
}
