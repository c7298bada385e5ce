// The layout recording behind `render --layout-json`: a list of named rectangles,
// kept only while a render asks for it so normal frames pay nothing.
#include "gui/widgets/layout_recorder.h"

#include <cstdio>
#include <unordered_map>

#include "gui/widgets/ui_context.h"

namespace im2col::gui {
namespace {

LayoutRecording& Current() { return CurrentUi().layout; }

void AppendEscaped(std::string& out, const std::string& text) {
  for (char ch : text) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(ch)));
      out += buffer;
    } else {
      out += ch;
    }
  }
}

void AppendNumber(std::string& out, float value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(value));
  out += buffer;
}

}  // namespace

bool IsRecordingLayout() { return Current().active || Current().keep; }

void BeginLiveLayoutFrame(bool keep) {
  LayoutRecording& rec = Current();
  rec.last.swap(rec.live);
  rec.live.clear();
  rec.live_index.clear();
  if (!keep) rec.last.clear();
  rec.keep = keep;
}

const std::vector<LayoutItem>& LastFrameLayout() { return Current().last; }

void RecordItem(const std::string& id, ImVec2 min, ImVec2 max) {
  LayoutRecording& rec = Current();
  if (rec.keep) {
    LayoutItem item{id, min.x, min.y, max.x - min.x, max.y - min.y};
    auto found = rec.live_index.find(id);
    if (found != rec.live_index.end()) rec.live[found->second] = std::move(item);
    else {
      rec.live_index.emplace(id, rec.live.size());
      rec.live.push_back(std::move(item));
    }
  }
  if (!rec.active) return;
  LayoutItem item{id, min.x, min.y, max.x - min.x, max.y - min.y};
  auto found = rec.index_of.find(id);
  if (found != rec.index_of.end()) {
    rec.items[found->second] = std::move(item);
    return;
  }
  rec.index_of.emplace(id, rec.items.size());
  rec.items.push_back(std::move(item));
}

void BeginLayoutRecording() {
  LayoutRecording& rec = Current();
  rec.items.clear();
  rec.index_of.clear();
  rec.active = true;
}

std::vector<LayoutItem> EndLayoutRecording() {
  LayoutRecording& rec = Current();
  rec.active = false;
  rec.index_of.clear();
  std::vector<LayoutItem> items;
  items.swap(rec.items);
  return items;
}

std::string LayoutJson(int width, int height, const std::vector<LayoutItem>& items) {
  std::string out = "{\"width\": " + std::to_string(width) + ", \"height\": " + std::to_string(height) +
                    ", \"items\": [";
  for (size_t i = 0; i < items.size(); ++i) {
    const LayoutItem& item = items[i];
    out += i ? ",\n  {\"id\": \"" : "\n  {\"id\": \"";
    AppendEscaped(out, item.id);
    out += "\", \"x\": ";
    AppendNumber(out, item.x);
    out += ", \"y\": ";
    AppendNumber(out, item.y);
    out += ", \"w\": ";
    AppendNumber(out, item.w);
    out += ", \"h\": ";
    AppendNumber(out, item.h);
    out += "}";
  }
  out += items.empty() ? "]}\n" : "\n]}\n";
  return out;
}

}  // namespace im2col::gui
