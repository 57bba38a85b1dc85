/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * Memory-ordering primitives for the memory that an io_uring shares with the
 * kernel (ring heads and tails, flag words, provided-buffer ring tails).
 *
 *   IO_URING_READ_ONCE(x), IO_URING_WRITE_ONCE(x, v)
 *	single, untorn access to the object x with no ordering (relaxed);
 *   io_uring_smp_load_acquire(p)
 *	load *p; later loads and stores stay after it (pairs with a release
 *	store by the other side, e.g. the kernel publishing a CQ tail);
 *   io_uring_smp_store_release(p, v)
 *	store v to *p; earlier loads and stores stay before it (e.g. CQEs are
 *	read before the CQ head that frees their slots is published);
 *   io_uring_smp_mb()
 *	full barrier.
 *
 * C gets C11 <stdatomic.h> operations applied to the plain object; C++ gets
 * std::atomic operations through the same kind of cast, as function
 * templates with the same names.
 */
#ifndef LIBURING_BARRIER_H
#define LIBURING_BARRIER_H

#ifdef __cplusplus
#include <atomic>
#include <type_traits>

/*
 * In the templates below the value parameter is not used for deduction
 * (std::common_type<T>::type), so that any value convertible to the object's
 * type can be stored, as with the C macros.
 */
template <typename T>
inline void IO_URING_WRITE_ONCE(T &var, typename std::common_type<T>::type val) noexcept
{
	static_assert(sizeof(std::atomic<T>) == sizeof(T), "atomic view must match the object");
	std::atomic_store_explicit(reinterpret_cast<std::atomic<T> *>(&var), val,
				   std::memory_order_relaxed);
}

template <typename T>
inline T IO_URING_READ_ONCE(const T &var) noexcept
{
	static_assert(sizeof(std::atomic<T>) == sizeof(T), "atomic view must match the object");
	return std::atomic_load_explicit(reinterpret_cast<const std::atomic<T> *>(&var),
					 std::memory_order_relaxed);
}

template <typename T>
inline void io_uring_smp_store_release(T *p, typename std::common_type<T>::type v) noexcept
{
	static_assert(sizeof(std::atomic<T>) == sizeof(T), "atomic view must match the object");
	std::atomic_store_explicit(reinterpret_cast<std::atomic<T> *>(p), v,
				   std::memory_order_release);
}

template <typename T>
inline T io_uring_smp_load_acquire(const T *p) noexcept
{
	static_assert(sizeof(std::atomic<T>) == sizeof(T), "atomic view must match the object");
	return std::atomic_load_explicit(reinterpret_cast<const std::atomic<T> *>(p),
					 std::memory_order_acquire);
}

inline void io_uring_smp_mb() noexcept
{
	std::atomic_thread_fence(std::memory_order_seq_cst);
}

#else /* !__cplusplus */
#include <stdatomic.h>

/* View an lvalue's storage as the _Atomic version of its own type. */
#define LIBURING_ATOMIC_PTR_(addr)	((_Atomic __typeof__(*(addr)) *)(addr))

#define IO_URING_READ_ONCE(var)						\
	atomic_load_explicit(LIBURING_ATOMIC_PTR_(&(var)), memory_order_relaxed)
#define IO_URING_WRITE_ONCE(var, val)					\
	atomic_store_explicit(LIBURING_ATOMIC_PTR_(&(var)), (val),	\
			      memory_order_relaxed)
#define io_uring_smp_load_acquire(p)					\
	atomic_load_explicit(LIBURING_ATOMIC_PTR_(p), memory_order_acquire)
#define io_uring_smp_store_release(p, v)				\
	atomic_store_explicit(LIBURING_ATOMIC_PTR_(p), (v), memory_order_release)
#define io_uring_smp_mb()	atomic_thread_fence(memory_order_seq_cst)

#endif /* __cplusplus */

#endif /* LIBURING_BARRIER_H */
