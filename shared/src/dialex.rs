//! Alibaba Cloud Contact Center DialEx: a back-office call routed to an IVR flow, an agent or a skill group.
