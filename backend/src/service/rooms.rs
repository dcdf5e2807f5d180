//! Calling a meeting room (Tencent Rooms id, or a SIP/H.323 device) into a meeting: recorded before
//! the request leaves, its outcome after, paced like every provider call.

use callout_shared::{
    me::Role,
    meeting::{validate_dial_string, RoomCallApiRequest, RoomCallInfo, RoomCallRequest, RoomCallResult, RoomTarget},
};

use super::{
    audit::{outcome_of, Audit},
    meeting_id_param,
    pacing::Lane,
    Actor, Calls, ServiceError,
};
use crate::accounts::TencentEntry;

impl Calls {
    pub async fn room_call(&self, actor: &Actor, request: &RoomCallApiRequest) -> Result<RoomCallResult, ServiceError> {
        actor.require(Role::Operator)?;
        let (entry, operator, room) = self.room_request(actor, request)?;
        let account_id = &request.account.account_id;
        let target = describe(&room);
        let record = self.store.record_room_call_intent(account_id, &room.meeting_id, &target, &actor.subject).await?;
        let result = entry.client.call(Lane::Person, |c| c.room_call(&operator, &room)).await;
        let (outcome, detail) = outcome_of(&result, |r| format!("invite {}", r.invite_id));
        crate::metrics::dialled(crate::providers::Provider::TencentMeeting, "room_call", outcome, 1);
        let invite = result.as_ref().ok().map(|r| r.invite_id.as_str());
        self.store.finish_room_call(record, outcome, invite, &detail).await?;
        let audit = Audit {
            action: "room_call",
            account_id: Some(account_id),
            target: Some(&target),
            operator: Some(&operator),
            outcome,
            detail: Some(&detail),
        };
        self.audit(actor, audit).await;
        Ok(result?)
    }

    pub async fn room_call_status(&self, actor: &Actor, request: &RoomCallApiRequest) -> Result<RoomCallInfo, ServiceError> {
        let (entry, operator, room) = self.room_request(actor, request)?;
        Ok(entry.client.call(Lane::Person, |c| c.room_call_info(&operator, &room)).await?)
    }

    pub async fn cancel_room_call(&self, actor: &Actor, request: &RoomCallApiRequest) -> Result<(), ServiceError> {
        actor.require(Role::Operator)?;
        let (entry, operator, room) = self.room_request(actor, request)?;
        let invite_id = request
            .invite_id
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .ok_or_else(|| ServiceError::invalid("invite_id", "cancelling needs the invite id"))?;
        let result = entry.client.call(Lane::Person, |c| c.cancel_room_call(&operator, &room, invite_id)).await;
        let (outcome, detail) = outcome_of(&result, |_| format!("invite {invite_id}"));
        let target = describe(&room);
        let audit = Audit {
            action: "room_call_cancel",
            account_id: Some(&request.account.account_id),
            target: Some(&target),
            operator: Some(&operator),
            outcome,
            detail: Some(&detail),
        };
        self.audit(actor, audit).await;
        Ok(result?)
    }

    /// The account, the operator acted as, and the checked request.
    fn room_request(&self, actor: &Actor, body: &RoomCallApiRequest) -> Result<(&TencentEntry, String, RoomCallRequest), ServiceError> {
        let entry = self.tencent(&body.account.account_id)?;
        let operator = self.operator_for(actor, entry, body.account.operator_id.as_deref())?;
        let meeting_id = meeting_id_param(&body.meeting_id)?.to_owned();
        let target = match &body.target {
            RoomTarget::MeetingRoom { meeting_room_id } => {
                let id = meeting_room_id.trim();
                if id.is_empty() || id.len() > 64 || id.chars().any(char::is_whitespace) {
                    return Err(ServiceError::invalid(
                        "target.meeting_room_id",
                        "a meeting room id is a single word of at most 64 characters",
                    ));
                }
                RoomTarget::MeetingRoom { meeting_room_id: id.to_owned() }
            }
            RoomTarget::MraAddress { protocol, dial_string } => {
                validate_dial_string(*protocol, dial_string).map_err(|p| ServiceError::invalid("target.dial_string", p.message()))?;
                RoomTarget::MraAddress { protocol: *protocol, dial_string: dial_string.trim().to_owned() }
            }
        };
        Ok((entry, operator, RoomCallRequest { meeting_id, target }))
    }
}

fn describe(request: &RoomCallRequest) -> String {
    match &request.target {
        RoomTarget::MeetingRoom { meeting_room_id } => format!("room {meeting_room_id} into meeting {}", request.meeting_id),
        RoomTarget::MraAddress { protocol, dial_string } => format!("{protocol:?} {dial_string} into meeting {}", request.meeting_id),
    }
}
