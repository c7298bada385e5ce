#include "gui/gpu/gpu_context.h"

#include "gui/gpu/matrix_picture.h"

namespace im2col::gui {

GpuContext::GpuContext() = default;

GpuContext::~GpuContext() { Release(); }

void GpuContext::Release() {
  view_textures_.views.clear();  // textures first: they belong to this context too
  view_textures_.computation.reset();
  view_textures_.packed.reset();
  if (renderer_) ReleaseMatrixRenderer(*renderer_);
  renderer_.reset();
  damage_.clear();
}

MatrixRenderer& GpuContext::renderer() {
  if (!renderer_) renderer_.reset(NewMatrixRenderer());
  return *renderer_;
}

std::vector<ImRect> GpuContext::TakeReportedDamage() {
  std::vector<ImRect> taken;
  taken.swap(damage_);
  return taken;
}

}  // namespace im2col::gui
