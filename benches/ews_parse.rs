//! Reading EWS answers: a 5,000-item CalendarView response plus the GetItem responses for
//! the same 5,000 items (batches of 50, with HTML bodies), through the console's reader
//! (`find_item::parse`, `get_item::parse`: the shared envelope reader with each operation's own payload reader), beside a bare quick-xml event scan of the
//! same bytes in the same run. The target is at most 1.5× the bare scan.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use quick_xml::Reader;
use quick_xml::events::Event;
use room_console::ews::{find_item, get_item};

const ITEMS: usize = 5_000;
const BATCH: usize = 50;

const HEADER: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="2" MajorBuildNumber="1544" MinorBuildNumber="4" Version="V2017_07_11" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types"/></s:Header><s:Body>"#;
const FOOTER: &str = "</s:Body></s:Envelope>";

fn calendar_view() -> Vec<u8> {
    let mut xml = String::from(HEADER);
    xml.push_str(r#"<m:FindItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages><m:FindItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>"#);
    xml.push_str(&format!(
        r#"<m:RootFolder TotalItemsInView="{ITEMS}" IncludesLastItemInRange="true"><t:Items>"#
    ));
    for n in 0..ITEMS {
        let (day, slot) = (n / 84, n % 84);
        xml.push_str(&format!(
            r#"<t:CalendarItem><t:ItemId Id="AAMkAGI2TG93AAA{n:06}=" ChangeKey="DwAAABYAAAA{n:06}"/><t:Subject>Planning meeting {n}</t:Subject><t:Start>2026-11-{:02}T{:02}:{:02}:00Z</t:Start><t:End>2026-11-{:02}T{:02}:{:02}:00Z</t:End><t:LegacyFreeBusyStatus>Busy</t:LegacyFreeBusyStatus><t:Location>Conference Room 2</t:Location><t:CalendarItemType>Single</t:CalendarItemType><t:Organizer><t:Mailbox><t:Name>Ana Lindqvist</t:Name></t:Mailbox></t:Organizer></t:CalendarItem>"#,
            1 + day % 28, slot / 6 + 6, (slot % 6) * 10,
            1 + day % 28, slot / 6 + 6, (slot % 6) * 10 + 5,
        ));
    }
    xml.push_str("</t:Items></m:RootFolder></m:FindItemResponseMessage></m:ResponseMessages></m:FindItemResponse>");
    xml.push_str(FOOTER);
    xml.into_bytes()
}

fn get_item_batch(first: usize) -> Vec<u8> {
    let mut xml = String::from(HEADER);
    xml.push_str(r#"<m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages>"#);
    for n in first..first + BATCH {
        xml.push_str(&format!(
            r#"<m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:CalendarItem><t:ItemId Id="AAMkAGI2TG93AAA{n:06}=" ChangeKey="DwAAABYAAAA{n:06}"/><t:Subject>Planning meeting {n}</t:Subject><t:Sensitivity>Normal</t:Sensitivity><t:Body BodyType="HTML">&lt;html&gt;&lt;body&gt;&lt;p&gt;Agenda: budget, staffing and the Q3 roadmap.&lt;/p&gt;&lt;p&gt;&lt;a href="https://teams.microsoft.com/l/meetup-join/19%3ameeting_{n:06}%40thread.v2/0"&gt;Click here to join the meeting&lt;/a&gt;&lt;/p&gt;&lt;/body&gt;&lt;/html&gt;</t:Body><t:UID>040000008200E00074C5B7101A82E008{n:06}</t:UID><t:Start>2026-11-23T09:00:00Z</t:Start><t:End>2026-11-23T10:00:00Z</t:End><t:IsAllDayEvent>false</t:IsAllDayEvent><t:LegacyFreeBusyStatus>Busy</t:LegacyFreeBusyStatus><t:Location>Conference Room 2</t:Location><t:IsCancelled>false</t:IsCancelled><t:CalendarItemType>Single</t:CalendarItemType><t:Organizer><t:Mailbox><t:Name>Ana Lindqvist</t:Name><t:EmailAddress>ana@contoso.com</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType></t:Mailbox></t:Organizer><t:StartTimeZoneId>W. Europe Standard Time</t:StartTimeZoneId><t:JoinOnlineMeetingUrl>https://teams.microsoft.com/l/meetup-join/19%3ameeting_{n:06}%40thread.v2/0</t:JoinOnlineMeetingUrl></t:CalendarItem></m:Items></m:GetItemResponseMessage>"#
        ));
    }
    xml.push_str("</m:ResponseMessages></m:GetItemResponse>");
    xml.push_str(FOOTER);
    xml.into_bytes()
}

/// Every event of the document, nothing kept: the floor any reader stands on.
fn bare_scan(bytes: &[u8]) -> usize {
    let mut reader = Reader::from_reader(bytes);
    let mut buffer = Vec::new();
    let mut events = 0;
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Eof) | Err(_) => return events,
            Ok(_) => events += 1,
        }
        buffer.clear();
    }
}

fn ews_parse(c: &mut Criterion) {
    let view = calendar_view();
    let batches: Vec<Vec<u8>> = (0..ITEMS).step_by(BATCH).map(get_item_batch).collect();
    let total: usize = view.len() + batches.iter().map(Vec::len).sum::<usize>();
    // The reader really reads every item.
    assert_eq!(
        find_item::parse(&view).expect("a view").value.items.len(),
        ITEMS
    );

    let mut group = c.benchmark_group("ews_5000_items");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(20);
    group.bench_function("room-console reader", |b| {
        b.iter(|| {
            let mut items = find_item::parse(black_box(&view))
                .expect("view")
                .value
                .items
                .len();
            for batch in &batches {
                items += get_item::parse(black_box(batch))
                    .expect("batch")
                    .value
                    .len();
            }
            assert_eq!(items, 2 * ITEMS);
        })
    });
    group.bench_function("bare quick-xml scan", |b| {
        b.iter(|| {
            let mut events = bare_scan(black_box(&view));
            for batch in &batches {
                events += bare_scan(black_box(batch));
            }
            events
        })
    });
    group.finish();
}

criterion_group!(benches, ews_parse);
criterion_main!(benches);
