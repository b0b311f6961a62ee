// Organizations and accounts: who talks, and which company they belong to.
#pragma once

#include <cstdint>
#include <string>

#include "core/ids.h"

namespace kaiwa::core {

struct Organization {
  OrganizationId id;
  std::string name;
};

// An account's profile as Chatwork shows it. Unset strings are "" (never null) on the wire.
struct Account {
  AccountId id;
  OrganizationId organization_id;
  std::string organization_name;
  RoomId my_room_id;
  std::string name;
  std::string chatwork_id;
  std::string login_mail;
  std::string department;
  std::string title;
  std::string url;
  std::string introduction;
  std::string tel_organization;
  std::string tel_extension;
  std::string tel_mobile;
  std::string skype;
  std::string facebook;
  std::string twitter;
  std::string avatar_image_url;
};

// A contact of the caller: the other account and the direct chat the two share.
struct Contact {
  Account account;
  RoomId room_id;
};

struct ContactRequest {
  RequestId id;
  Account from;
  std::string message;
};

}  // namespace kaiwa::core
